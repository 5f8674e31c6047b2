using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>p2c</c>, the default: of two distinct random endpoints, the one with the lower (in flight + 1) / effective
/// weight (<see cref="PowerOfTwo"/>). Nearly as good as least connections at O(1), and because it compares only two,
/// replicas that see the same counts do not all pile onto the same least-loaded pod.
/// </summary>
internal sealed class PowerOfTwoChoicesPicker(BalancingContext balancing) : IEndpointPicker
{
    public string Name => BalancingAlgorithms.PowerOfTwoChoices;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request) =>
        PowerOfTwo.PickByLoad(balancing, availableDestinations, backend.Policy.SlowStart);
}
