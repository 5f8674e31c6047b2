using OneHop.Core.Concurrency;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// What a picker needs besides the request: the backend's policy and each endpoint's weight (from the snapshot),
/// each pod's runtime state (in flight, latency, slow start), time and randomness — all injected, so pickers are
/// deterministic under test.
/// </summary>
internal sealed class BalancingContext(SnapshotCatalog catalog, EndpointRuntimeRegistry runtime, IRandomSource random)
{
    public TimeProvider Time => runtime.Time;

    public IRandomSource Random => random;

    public BackendPolicy PolicyOf(ClusterState cluster) => catalog.BackendOf(cluster)?.Policy ?? BackendPolicy.Default;

    /// <summary>The endpoint's configured weight (1 unless its slice or upstream says otherwise).</summary>
    public int WeightOf(DestinationState destination) => catalog.EndpointOf(destination)?.Weight ?? 1;

    public EndpointRuntime RuntimeOf(DestinationState destination) => runtime.For(destination);
}
