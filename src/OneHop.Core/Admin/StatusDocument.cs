using System.Collections.Immutable;
using OneHop.Core.Control;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;

namespace OneHop.Core.Admin;

/// <summary><c>GET /api/status</c>: readiness, sources, and every current finding about the input.</summary>
internal sealed record StatusDocument(
    bool Ready,
    string? NotReadyReason,
    long Version,
    long AppliedVersion,
    DateTimeOffset? LastBuild,
    string? LastBuildError,
    string? DataPlaneError,
    ImmutableArray<SourceStatus> Sources,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<IgnoredObject> Ignored,
    LeadershipDocument? Leadership)
{
    /// <summary>The conditions OneHop gives its GatewayClasses, Gateways and routes (what the leader writes to their status).</summary>
    public Routing.GatewayApi.GatewayApiStatus? GatewayApi { get; init; }

    /// <summary>The access log's lines written, dropped and lost, and its latest output error; null when it is off.</summary>
    public Telemetry.AccessLog.AccessLogStatus? AccessLog { get; init; }

    /// <summary>Where spans go and how many were exported or lost; null when tracing is off.</summary>
    public Telemetry.Tracing.TracingStatus? Tracing { get; init; }

    /// <summary>The proxies in front believed about the client now; null when none is.</summary>
    public TrustedProxiesStatus? TrustedProxies { get; init; }
}
