using System.Collections.Frozen;
using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Routing;
using OneHop.Core.Routing.L4;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// The L4 data plane's input side, as <see cref="Http.HttpDataPlane"/> is HTTP's: each snapshot becomes an
/// <see cref="L4Routing"/> swapped in with one write. Backends equal to the last snapshot's keep their
/// <see cref="BackendState"/>; TCP pods share their <see cref="EndpointRuntime"/> (open connections count as in flight,
/// ejections, slow start) with HTTP through the same registry, UDP pods have their own (a UDP port is another socket).
/// Listeners are given a slot when their handler binds, so a connection finds its listener with one array read.
/// </summary>
internal sealed class L4DataPlane(EndpointRuntimeRegistry runtimes, EndpointRuntimeRegistry udpRuntimes, L4Metrics metrics, TimeProvider time) : IDataPlane
{
    private readonly BackendKeeps _keeps = new(runtimes.Time);
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Lock _applyLock = new();
    private volatile L4Routing _routing = L4Routing.Empty;
    private int _prunePending;
    private TopologySettings? _topology;
    private PublishedSnapshot? _last;

    public event Action<long>? Applied;

    /// <summary>What connections are routed by now.</summary>
    public L4Routing Routing => _routing;

    public long AppliedVersion => _routing.Version;

    /// <summary>Applying cannot fail short of a bug: the snapshot is already validated.</summary>
    public string? LastError => null;

    public L4ConnectionTable Connections { get; } = new(time);

    public L4Metrics Metrics => metrics;

    public TimeProvider Time => time;

    /// <summary>TCP backends of the snapshot in force: the ones active TCP-connect probes check (UDP has no connect).</summary>
    public IReadOnlyCollection<BackendState> TcpBackends => [.. _routing.Backends.Values.Where(b => b.Backend.Protocol == BackendProtocol.Tcp)];

    /// <summary>The L4 listeners of the last snapshot (the ConfigMap listener manager binds those it must).</summary>
    public ImmutableArray<L4Listener> Listeners => _last?.Snapshot.L4?.Listeners ?? [];

    /// <summary>
    /// The slot of the listener named <paramref name="name"/>, given once and kept: its handler reads
    /// <see cref="L4Routing.Listener(int)"/> with it. A listener not in the snapshot yet gets a slot that reads null.
    /// </summary>
    public int Slot(string name)
    {
        lock (_applyLock)
        {
            if (!_slots.TryGetValue(name, out var slot))
            {
                slot = _slots.Count;
                _slots[name] = slot;
                if (_last is { } last)
                {
                    // A listener bound after the snapshot that declares it (a ConfigMap port): rebuild so its slot is filled.
                    Build(last, _routing, force: true);
                }
            }

            return slot;
        }
    }

    public void Apply(PublishedSnapshot published)
    {
        lock (_applyLock)
        {
            if (published.Version == _routing.Version)
            {
                return;
            }

            _last = published;
            Build(published, _routing, force: false);
        }

        Applied?.Invoke(published.Version);
    }

    /// <summary>Heartbeat work, once a second: bytes to metrics, idle connections closed, drains timed.</summary>
    public void Sweep(long now) => Connections.Sweep(now, _routing);

    /// <summary>
    /// Drops the runtime state and metric series of pods no longer routed to (when a snapshot came since the last
    /// call, or a departed pod's connection was still draining at the last one) and the retry budgets of backends that left.
    /// </summary>
    public void Prune()
    {
        if (Interlocked.Exchange(ref _prunePending, 0) == 0)
        {
            return;
        }

        var routing = _routing;
        var tcp = new HashSet<string>(StringComparer.Ordinal);
        var udp = new HashSet<string>(StringComparer.Ordinal);
        foreach (var backend in routing.Backends.Values)
        {
            foreach (var destination in backend.Destinations)
            {
                (backend.Backend.Protocol == BackendProtocol.Udp ? udp : tcp).Add(destination.Id);
            }
        }

        var pairs = new HashSet<(string, string)>();
        foreach (var listener in routing.Listeners.Values)
        {
            foreach (var route in listener.Routes.SelectMany(r => r.Choices))
            {
                foreach (var destination in route.Backend.Destinations)
                {
                    pairs.Add((listener.Name, destination.Id));
                }
            }
        }

        if (metrics.Retain((listener, endpoint) => pairs.Contains((listener, endpoint)) || (listener.StartsWith(PassthroughListenerPrefix, StringComparison.Ordinal) && tcp.Contains(endpoint))))
        {
            Volatile.Write(ref _prunePending, 1); // a departed pod's connection still drains: look again at the next heartbeat
        }

        runtimes.Retain("l4", tcp);
        udpRuntimes.Retain("l4", udp);
        lock (_applyLock)
        {
            _keeps.Prune(routing.Backends);
        }
    }

    /// <summary>What metrics call connections passed through on an HTTPS listener: <c>https-passthrough:ADDR:PORT</c>.</summary>
    public const string PassthroughListenerPrefix = "https-passthrough:";

    private void Build(PublishedSnapshot published, L4Routing previous, bool force)
    {
        var config = published.Config;
        var l4 = published.Snapshot.L4;
        var sameSettings = previous.Version > 0 && _topology == config.Topology;
        var backends = ImmutableDictionary.CreateBuilder<string, BackendState>(StringComparer.Ordinal);
        foreach (var backend in l4?.Backends ?? [])
        {
            backends[backend.Id] = sameSettings && previous.Backends.TryGetValue(backend.Id, out var known) && known.Backend.Equals(backend)
                ? known
                : _keeps.Build(backend, backend.Protocol == BackendProtocol.Udp ? udpRuntimes : runtimes, config.Topology.Zone, config.Topology.TrafficShare);
        }

        _keeps.Serve(backends);

        var routes = new Dictionary<string, L4RouteState>(StringComparer.Ordinal);
        L4RouteState State(L4Route route)
        {
            // A weighted route: a state per backend (its own id, so the sweep finds a connection's), picked per connection.
            var splits = route.Splits.Select((split, i) => (State(route with { Id = $"{route.Id}#{i}", BackendId = split.BackendId, Splits = [] }), split.Weight)).ToList();
            var state = new L4RouteState(route, backends[route.BackendId], splits);
            routes[route.Id] = state;
            return state;
        }

        var byName = new Dictionary<string, L4ListenerState>(StringComparer.Ordinal);
        foreach (var listener in l4?.Listeners ?? [])
        {
            byName[listener.Name] = new L4ListenerState(listener, [.. listener.Routes.Select(State)]);
        }

        var bySlot = new L4ListenerState?[_slots.Count];
        foreach (var (name, slot) in _slots)
        {
            bySlot[slot] = byName.GetValueOrDefault(name);
        }

        var passthrough = new HostMap<L4RouteState>((l4?.Passthrough ?? []).Select(r => KeyValuePair.Create(r.Host, State(r))));
        _topology = config.Topology;
        _routing = new L4Routing(
            force ? previous.Version : published.Version,
            [.. bySlot],
            byName.ToFrozenDictionary(StringComparer.Ordinal),
            routes.ToFrozenDictionary(StringComparer.Ordinal),
            passthrough,
            backends.ToImmutable(),
            config.Defaults);
        Volatile.Write(ref _prunePending, 1);
    }
}
