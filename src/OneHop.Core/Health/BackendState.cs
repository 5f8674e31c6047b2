using System.Collections.Immutable;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Routing;

namespace OneHop.Core.Health;

/// <summary>
/// A backend as the data plane serves it in one snapshot: the snapshot's <see cref="Routing.Backend"/> and policy,
/// each endpoint as a <see cref="Destination"/> (its facts and its runtime state side by side), and the list of
/// destinations that requests may use now, rebuilt only when health changes. Built once per snapshot for each backend
/// that changed; the request path reads everything from here, with no lookup by name or id.
/// </summary>
internal sealed class BackendState
{
    private readonly HealthEpoch _epoch;
    private readonly TimeProvider _time;
    private readonly string? _zone;
    private readonly double? _trafficShare;
    private volatile Cache? _available;
    private volatile Cache? _anywhere;

    /// <param name="zone">This replica's zone; zone preference applies when it is known and the policy asks for it.</param>
    /// <param name="budget">The backend's retry budget, kept by the data plane across snapshots.</param>
    /// <param name="queue">The capped backend's queue, kept by the data plane across snapshots; null for no cap.</param>
    public BackendState(Backend backend, EndpointRuntimeRegistry runtimes, string? zone, double? trafficShare, RetryBudget? budget = null, BackendQueue? queue = null)
    {
        Budget = budget ?? new RetryBudget(runtimes.Time);
        Queue = queue;
        Backend = backend;
        _epoch = runtimes.Epoch;
        _time = runtimes.Time;
        _zone = backend.Policy.ZoneAware ? zone : null;
        _trafficShare = trafficShare;
        var scheme = BackendProtocols.Scheme(backend.Protocol);
        Destinations = [.. backend.Endpoints.Select(e => new Destination(e, runtimes.For(e.Id), scheme))];
        Namespace = backend.Kind != BackendKind.Upstream && backend.Name.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? backend.Name[..slash] : null;
    }

    public Backend Backend { get; }

    /// <summary>How many retries the backend may take now (Linkerd's budget).</summary>
    public RetryBudget Budget { get; }

    /// <summary>The per-endpoint cap's counts and waiters when the policy caps the backend (<see cref="ConcurrencyLimit"/>); null otherwise.</summary>
    public BackendQueue? Queue { get; }

    public BackendPolicy Policy => Backend.Policy;

    /// <summary>What operators call the backend (metrics, error bodies).</summary>
    public string Name => Backend.Name;

    /// <summary>The namespace of the Service (<c>default/web:80</c> → <c>default</c>); null for static upstreams. A metric label.</summary>
    public string? Namespace { get; }

    /// <summary>Every endpoint, in the snapshot's order.</summary>
    public ImmutableArray<Destination> Destinations { get; }

    /// <summary>
    /// The destinations requests may use now (<see cref="Availability"/>). The same instance until an endpoint's
    /// health changes or an ejection runs out, so pickers can keep state per list.
    /// </summary>
    public DestinationSet Available()
    {
        var now = _time.GetTimestamp();
        var epoch = _epoch.Value;
        if (_available is { } cached && cached.Epoch == epoch && (cached.Expiry == 0 || now < cached.Expiry))
        {
            return cached.Set;
        }

        var set = Destinations.IsEmpty ? DestinationSet.Empty : new DestinationSet(Availability.Select(Destinations, now, _zone, _trafficShare));
        _available = new Cache(epoch, Availability.NextExpiry(Destinations, now), set);
        return set;
    }

    /// <summary>
    /// The destinations requests may use now in every zone: <see cref="Available"/> without zone preference. A capped
    /// backend spills here when every endpoint of its own zone is full, rather than queue while others have room.
    /// </summary>
    public DestinationSet AvailableAnywhere()
    {
        if (_zone is null)
        {
            return Available();
        }

        var now = _time.GetTimestamp();
        var epoch = _epoch.Value;
        if (_anywhere is { } cached && cached.Epoch == epoch && (cached.Expiry == 0 || now < cached.Expiry))
        {
            return cached.Set;
        }

        var set = Destinations.IsEmpty ? DestinationSet.Empty : new DestinationSet(Availability.Select(Destinations, now, null, null));
        _anywhere = new Cache(epoch, Availability.NextExpiry(Destinations, now), set);
        return set;
    }

    public Destination? Find(string endpointId)
    {
        foreach (var destination in Destinations)
        {
            if (destination.Id == endpointId)
            {
                return destination;
            }
        }

        return null;
    }

    private sealed record Cache(long Epoch, long Expiry, DestinationSet Set);
}
