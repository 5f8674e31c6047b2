using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>nq</c>, IPVS never queue: an idle endpoint (nothing in flight) if there is one — among idle ones the highest
/// effective weight, ties at random — so no request waits behind another while a pod sits idle; else shortest
/// expected delay.
/// </summary>
internal sealed class NeverQueuePolicy(BalancingContext balancing) : ILoadBalancingPolicy
{
    public string Name { get; } = YarpPolicyNames.For(BalancingAlgorithms.NeverQueue);

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        var slowStart = balancing.PolicyOf(cluster).SlowStart;
        DestinationState? idle = null;
        var idleWeight = 0.0;
        var ties = 0;
        for (var i = 0; i < availableDestinations.Count; i++)
        {
            var destination = availableDestinations[i];
            var runtime = balancing.RuntimeOf(destination);
            if (runtime.InFlight > 0)
            {
                continue;
            }

            var weight = EffectiveWeight.Of(balancing, destination, runtime, slowStart);
            if (weight > idleWeight)
            {
                (idle, idleWeight, ties) = (destination, weight, 1);
            }
            else if (weight == idleWeight && balancing.Random.Next(++ties) == 0)
            {
                idle = destination;
            }
        }

        return idle ?? LeastLoaded.Pick(balancing, availableDestinations, slowStart, queued: 1);
    }
}
