using System.Collections.Concurrent;

namespace OneHop.Core.Health;

/// <summary>
/// Every endpoint's <see cref="EndpointRuntime"/>, by id (<c>address:port</c>): one runtime per pod, so a pod behind two
/// Services counts its requests once. Looked up when a snapshot is applied, never per request: each
/// <see cref="Destination"/> holds its runtime.
/// </summary>
internal sealed class EndpointRuntimeRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, EndpointRuntime> _byId = new(StringComparer.Ordinal);

    public TimeProvider Time => time;

    /// <summary>Moves whenever any endpoint's health flag changes.</summary>
    public HealthEpoch Epoch { get; } = new();

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
