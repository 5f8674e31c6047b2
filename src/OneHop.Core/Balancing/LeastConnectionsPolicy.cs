using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>least-connections</c>: the fewest requests in flight per unit of effective weight (IPVS wlc: in flight /
/// weight), counted per pod across every backend that routes to it. Ties, such as every pod idle, are broken at
/// random in proportion to effective weight, so that weights and slow start still count when nothing is in flight.
/// </summary>
internal sealed class LeastConnectionsPolicy(BalancingContext balancing) : ILoadBalancingPolicy
{
    public string Name { get; } = YarpPolicyNames.For(BalancingAlgorithms.LeastConnections);

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations) =>
        LeastLoaded.Pick(balancing, availableDestinations, balancing.PolicyOf(cluster).SlowStart, queued: 0);
}
