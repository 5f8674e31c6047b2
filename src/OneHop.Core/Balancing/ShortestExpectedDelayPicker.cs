using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>sed</c>, IPVS shortest expected delay: the lowest (in flight + 1) / effective weight, the time one more
/// request would wait if each pod served its queue at the speed of its weight. Unlike least connections, the +1
/// lets a heavy pod win even when a light one is idle. Ties are broken as in <see cref="LeastLoaded"/>.
/// </summary>
internal sealed class ShortestExpectedDelayPicker(BalancingContext balancing) : IEndpointPicker
{
    public string Name => BalancingAlgorithms.ShortestExpectedDelay;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request) =>
        LeastLoaded.Pick(balancing, availableDestinations, backend.Policy.SlowStart, queued: 1);
}
