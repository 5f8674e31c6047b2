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
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _liveByOwner = new(StringComparer.Ordinal);

    public TimeProvider Time => time;

    /// <summary>Moves whenever any endpoint's health flag changes.</summary>
    public HealthEpoch Epoch { get; } = new();

    public EndpointRuntime For(string endpointId) =>
        _byId.GetOrAdd(endpointId, static (id, registry) => new EndpointRuntime(id, registry.Time, registry.Epoch), this);

    /// <summary>What active probes say of an endpoint, without creating its runtime; <see cref="ProbeHealth.Unknown"/> when none exists.</summary>
    public ProbeHealth ProbeHealthOf(string endpointId) =>
        _byId.TryGetValue(endpointId, out var runtime) ? runtime.ProbeHealth : ProbeHealth.Unknown;

    /// <summary>
    /// Forgets endpoints that left the routing table, so one that comes back starts afresh (slow start, no stale
    /// latency or ejections). Endpoints with requests still in flight are kept until a later call.
    /// </summary>
    public void Retain(IReadOnlySet<string> liveIds) => Retain("http", liveIds);

    /// <summary>
    /// <see cref="Retain(IReadOnlySet{string})"/> for one of the data planes sharing this registry (HTTP, TCP): an
    /// endpoint is forgotten only when no data plane routes to it any more.
    /// </summary>
    public void Retain(string owner, IReadOnlySet<string> liveIds)
    {
        _liveByOwner[owner] = liveIds;
        foreach (var (id, runtime) in _byId)
        {
            if (runtime.InFlight == 0 && !_liveByOwner.Values.Any(live => live.Contains(id)))
            {
                _byId.TryRemove(KeyValuePair.Create(id, runtime));
            }
        }
    }
}
