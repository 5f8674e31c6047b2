using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>round-robin</c>: each endpoint in turn, ignoring weights (use <c>weighted-round-robin</c> for those). Each
/// replica starts each new destination list at a random position, so that after a rollout or health change the
/// replicas do not all send their next request to the same pod. O(1) per pick; while a pod ramps up under slow
/// start, its turns are kept with probability of its factor (<see cref="SlowStartSampler"/>).
/// </summary>
internal sealed class RoundRobinPicker(BalancingContext balancing) : IEndpointPicker
{

    public string Name => BalancingAlgorithms.RoundRobin;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request)
    {
        var count = availableDestinations.Count;
        if (count == 0)
        {
            return null;
        }

        var state = availableDestinations.PickerState(balancing, static (list, ctx) => new RoundRobinState(ctx.Random.Next(list.Count), new SlowStartRamp(list)));
        var candidate = availableDestinations[state.Next(count)];
        var window = backend.Policy.SlowStart;
        return state.Ramp.IsRamping(balancing.Time, window)
            ? SlowStartSampler.Admit(balancing, availableDestinations, candidate, window, state.Ramp.MaxFactor(window))
            : candidate;
    }
}
