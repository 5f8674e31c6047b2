using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>weighted-round-robin</c>: nginx's smooth weighted round robin (<see cref="SmoothWeightedState"/>) on effective
/// weights. Chosen over Envoy's EDF scheduler because it is exact over every cycle of the total weight, interleaves
/// heavy and light endpoints without bursts, and takes changing weights (slow start) on the next pick with no
/// rebuild; it costs O(n) per pick, which is nothing beside proxying a request for the pod counts of a Service.
/// </summary>
internal sealed class WeightedRoundRobinPolicy(BalancingContext balancing) : ILoadBalancingPolicy
{
    private readonly DestinationListCache<SmoothWeightedState> _states = new();

    public string Name { get; } = YarpPolicyNames.For(BalancingAlgorithms.WeightedRoundRobin);

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        var state = _states.Get(availableDestinations, balancing, static (list, ctx) => new SmoothWeightedState(ctx, list));
        var window = balancing.PolicyOf(cluster).SlowStart;
        return availableDestinations[state.Next(balancing, availableDestinations, window, state.Ramp.IsRamping(balancing.Time, window))];
    }
}
