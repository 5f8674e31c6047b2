namespace OneHop.Core.Routing.Endpoints;

/// <summary>Where the coordinator reads <see cref="PodReachability"/> from, like a source: current value plus a change signal.</summary>
internal interface IPodReachabilitySource
{
    /// <summary>The latest measurement; <see cref="PodReachability.Empty"/> at first.</summary>
    PodReachability Current { get; }

    /// <summary>Measures until cancelled, calling <paramref name="changed"/> whenever <see cref="Current"/> changes.</summary>
    Task RunAsync(Action changed, CancellationToken cancellationToken);
}
