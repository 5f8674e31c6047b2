using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>random</c>: a uniformly random endpoint, ignoring weights. While a pod ramps up under slow start it is kept
/// with probability of its factor, else redrawn (<see cref="SlowStartSampler"/>), so its share follows the factor.
/// </summary>
internal sealed class RandomPicker(BalancingContext balancing) : IEndpointPicker
{

    public string Name => BalancingAlgorithms.Random;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request)
    {
        var count = availableDestinations.Count;
        if (count == 0)
        {
            return null;
        }

        var candidate = availableDestinations[balancing.Random.Next(count)];
        var window = backend.Policy.SlowStart;
        if (window <= TimeSpan.Zero)
        {
            return candidate;
        }

        var ramp = availableDestinations.PickerState(balancing, static (list, ctx) => new SlowStartRamp(list));
        return ramp.IsRamping(balancing.Time, window) ? SlowStartSampler.Admit(balancing, availableDestinations, candidate, window, ramp.MaxFactor(window)) : candidate;
    }
}
