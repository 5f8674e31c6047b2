using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>nq</c>, IPVS never queue: an idle endpoint (nothing in flight) if there is one — among idle ones the highest
/// effective weight, ties at random — so no request waits behind another while a pod sits idle; else shortest
/// expected delay.
/// </summary>
internal sealed class NeverQueuePicker(BalancingContext balancing) : IEndpointPicker
{
    public string Name => BalancingAlgorithms.NeverQueue;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request)
    {
        var slowStart = backend.Policy.SlowStart;
        Destination? idle = null;
        var idleWeight = 0.0;
        var ties = 0;
        for (var i = 0; i < availableDestinations.Count; i++)
        {
            var destination = availableDestinations[i];
            var runtime = destination.Runtime;
            if (runtime.InFlight > 0)
            {
                continue;
            }

            var weight = EffectiveWeight.Of(destination, slowStart);
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
