namespace KubeApiTestServer;

/// <summary>How a <see cref="KubeApiServer"/> starts. Everything here can also be changed later through its knobs.</summary>
public sealed class KubeApiServerOptions
{
    /// <summary>The loopback port to bind; 0 picks a free one (kept across stop and start).</summary>
    public int Port { get; init; }

    /// <summary>The clock for creationTimestamp, watch timeouts, bookmarks, token TTL and response delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>When set, every API request must carry <c>Authorization: Bearer</c> with this token (else 401).</summary>
    public string? BearerToken { get; init; }

    /// <summary>How many change events the history keeps for watch resumption and exact-RV lists.</summary>
    public int HistoryCapacity { get; init; } = 10_000;
}
