using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>random</c>: a uniformly random endpoint, ignoring weights. While a pod ramps up under slow start it is kept
/// with probability of its factor, else redrawn (<see cref="SlowStartSampler"/>), so its share follows the factor.
/// </summary>
internal sealed class RandomPolicy(BalancingContext balancing) : ILoadBalancingPolicy
{
    private readonly DestinationListCache<SlowStartRamp> _ramps = new();

    public string Name { get; } = YarpPolicyNames.For(BalancingAlgorithms.Random);

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var count = availableDestinations.Count;
        if (count == 0)
        {
            return null;
        }

        var candidate = availableDestinations[balancing.Random.Next(count)];
        var window = balancing.PolicyOf(cluster).SlowStart;
        if (window <= TimeSpan.Zero)
        {
            return candidate;
        }

        var ramp = _ramps.Get(availableDestinations, balancing, static (list, ctx) => new SlowStartRamp(ctx, list));
        return ramp.IsRamping(balancing.Time, window) ? SlowStartSampler.Admit(balancing, availableDestinations, candidate, window, ramp.MaxFactor(window)) : candidate;
    }
}
