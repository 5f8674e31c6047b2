using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>p2c</c>, the default: of two distinct random endpoints, the one with the lower (in flight + 1) / effective
/// weight (<see cref="PowerOfTwo"/>). Nearly as good as least connections at O(1), and because it compares only two,
/// replicas that see the same counts do not all pile onto the same least-loaded pod.
/// </summary>
internal sealed class PowerOfTwoChoicesPolicy(BalancingContext balancing) : ILoadBalancingPolicy
{
    public string Name { get; } = YarpPolicyNames.For(BalancingAlgorithms.PowerOfTwoChoices);

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations) =>
        PowerOfTwo.PickByLoad(balancing, availableDestinations, balancing.PolicyOf(cluster).SlowStart);
}
