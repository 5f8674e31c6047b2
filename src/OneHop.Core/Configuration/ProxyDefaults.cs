using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Configuration;

/// <summary>Defaults for every backend, overridable per Service (annotations) or per upstream.</summary>
internal sealed record ProxyDefaults
{
    /// <summary>The policy every backend starts from (algorithm, health checks, outlier detection, retries...).</summary>
    public BackendPolicy Policy { get; init; } = BackendPolicy.Default;

    /// <summary>How long a connection attempt to an endpoint may take before it counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest silence on a proxied request (no bytes either way) before it is aborted with 504.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long an idle pooled connection to an endpoint is kept.</summary>
    public TimeSpan UpstreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long an L4 connection (or UDP session) to a pod that left the routing table, or to a listener that is
    /// shutting down, may go on before it is closed; new connections go elsewhere at once.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How Services without <c>onehop.dev/reach</c> are reached: pod IPs, node ports, or auto.</summary>
    public ReachMode Reach { get; init; } = ReachMode.Pods;
}
