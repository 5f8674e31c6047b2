using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>least-connections</c>: the fewest requests in flight per unit of effective weight (IPVS wlc: in flight /
/// weight), counted per pod across every backend that routes to it. Ties, such as every pod idle, are broken at
/// random in proportion to effective weight, so that weights and slow start still count when nothing is in flight.
/// </summary>
internal sealed class LeastConnectionsPicker(BalancingContext balancing) : IEndpointPicker
{
    public string Name => BalancingAlgorithms.LeastConnections;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request) =>
        LeastLoaded.Pick(balancing, availableDestinations, backend.Policy.SlowStart, queued: 0);
}
