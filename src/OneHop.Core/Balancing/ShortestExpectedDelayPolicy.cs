using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>sed</c>, IPVS shortest expected delay: the lowest (in flight + 1) / effective weight, the time one more
/// request would wait if each pod served its queue at the speed of its weight. Unlike least connections, the +1
/// lets a heavy pod win even when a light one is idle. Ties are broken as in <see cref="LeastLoaded"/>.
/// </summary>
internal sealed class ShortestExpectedDelayPolicy(BalancingContext balancing) : ILoadBalancingPolicy
{
    public string Name { get; } = YarpPolicyNames.For(BalancingAlgorithms.ShortestExpectedDelay);

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations) =>
        LeastLoaded.Pick(balancing, availableDestinations, balancing.PolicyOf(cluster).SlowStart, queued: 1);
}
