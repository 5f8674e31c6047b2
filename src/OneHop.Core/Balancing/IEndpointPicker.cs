using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// One balancing algorithm: picks from destinations already filtered by health and zone. Pure policy over an
/// immutable list (Envoy's and Linkerd's picker layer): no I/O, time and randomness from <see cref="BalancingContext"/>,
/// null only for an empty list, never throws.
/// </summary>
internal interface IEndpointPicker
{
    /// <summary>The algorithm's name as operators write it (<see cref="Configuration.Policies.BalancingAlgorithms"/>).</summary>
    string Name { get; }

    Destination? Pick(BackendState backend, DestinationSet destinations, IBalancedRequest request);
}
