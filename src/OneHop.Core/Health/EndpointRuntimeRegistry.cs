using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Health;

/// <summary>
/// Every endpoint's <see cref="EndpointRuntime"/>, by id. YARP keeps one <see cref="DestinationState"/> per backend,
/// OneHop one runtime per pod, so a pod behind two Services counts its requests once. Lookups from a
/// destination are cached by reference, so the per-request cost is one weak-table hit.
/// </summary>
internal sealed class EndpointRuntimeRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, EndpointRuntime> _byId = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DestinationState, EndpointRuntime> _byDestination = [];

    public TimeProvider Time => time;

    /// <summary>Moves whenever any endpoint's health flag changes.</summary>
    public HealthEpoch Epoch { get; } = new();

    public EndpointRuntime For(DestinationState destination)
    {
        if (_byDestination.TryGetValue(destination, out var runtime) && _byId.TryGetValue(runtime.Id, out var current) && ReferenceEquals(runtime, current))
        {
            return runtime;
        }

        runtime = For(destination.DestinationId);
        _byDestination.AddOrUpdate(destination, runtime);
        return runtime;
    }

    public EndpointRuntime For(string endpointId) =>
        _byId.GetOrAdd(endpointId, static (id, registry) => new EndpointRuntime(id, registry.Time, registry.Epoch), this);

    /// <summary>
    /// Forgets endpoints that left the routing table, so one that comes back starts afresh (slow start, no stale
    /// latency or ejections). Endpoints with requests still in flight are kept until a later call.
    /// </summary>
    public void Retain(IReadOnlySet<string> liveIds)
    {
        foreach (var (id, runtime) in _byId)
        {
            if (!liveIds.Contains(id) && runtime.InFlight == 0)
            {
                _byId.TryRemove(KeyValuePair.Create(id, runtime));
            }
        }
    }
}
