using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>round-robin</c>: each endpoint in turn, ignoring weights (use <c>weighted-round-robin</c> for those). Each
/// replica starts each new destination list at a random position, so that after a rollout or health change the
/// replicas do not all send their next request to the same pod. O(1) per pick; while a pod ramps up under slow
/// start, its turns are kept with probability of its factor (<see cref="SlowStartSampler"/>).
/// </summary>
internal sealed class RoundRobinPolicy(BalancingContext balancing) : ILoadBalancingPolicy
{
    private readonly DestinationListCache<RoundRobinState> _states = new();

    public string Name { get; } = YarpPolicyNames.For(BalancingAlgorithms.RoundRobin);

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var count = availableDestinations.Count;
        if (count == 0)
        {
            return null;
        }

        var state = _states.Get(availableDestinations, balancing, static (list, ctx) => new RoundRobinState(ctx.Random.Next(list.Count), new SlowStartRamp(ctx, list)));
        var candidate = availableDestinations[state.Next(count)];
        var window = balancing.PolicyOf(cluster).SlowStart;
        return state.Ramp.IsRamping(balancing.Time, window)
            ? SlowStartSampler.Admit(balancing, availableDestinations, candidate, window, state.Ramp.MaxFactor(window))
            : candidate;
    }
}
