using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>
/// What the coordinator hands every snapshot consumer after a translation: the snapshot and its version, the
/// effective config that comes with it, and what it was translated from.
/// </summary>
/// <param name="Version">Moves only when the snapshot or the config changed; consumers that serve traffic skip a version they have.</param>
/// <param name="Cluster">The merged cluster state the snapshot was translated from.</param>
/// <param name="Served">The Ingresses OneHop serves (its class), whose status it publishes.</param>
internal sealed record PublishedSnapshot(long Version, RoutingSnapshot Snapshot, OneHopConfig Config, ClusterState Cluster, ImmutableArray<ObjectRef> Served)
{
    /// <summary>The conditions of OneHop's Gateway API objects, for the status publisher.</summary>
    public GatewayApi.GatewayApiStatus GatewayStatus { get; init; } = GatewayApi.GatewayApiStatus.Empty;

    /// <summary>Every current finding (sources and translation), as /api/status shows them: the Event recorder's input.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>The pods to probe for <c>onehop.dev/reach: auto</c>, one per node: the reachability prober's input.</summary>
    public ImmutableArray<Endpoints.ReachProbeTarget> ReachTargets { get; init; } = [];
}
