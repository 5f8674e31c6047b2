using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>weighted-round-robin</c>: nginx's smooth weighted round robin (<see cref="SmoothWeightedState"/>) on effective
/// weights. Chosen over Envoy's EDF scheduler because it is exact over every cycle of the total weight, interleaves
/// heavy and light endpoints without bursts, and takes changing weights (slow start) on the next pick with no
/// rebuild; it costs O(n) per pick, which is nothing beside proxying a request for the pod counts of a Service.
/// </summary>
internal sealed class WeightedRoundRobinPicker(BalancingContext balancing) : IEndpointPicker
{

    public string Name => BalancingAlgorithms.WeightedRoundRobin;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request)
    {
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        var state = availableDestinations.PickerState(balancing, static (list, ctx) => new SmoothWeightedState(ctx, list));
        var window = backend.Policy.SlowStart;
        return availableDestinations[state.Next(availableDestinations, window, state.Ramp.IsRamping(balancing.Time, window))];
    }
}
