using System.Collections.Frozen;
using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// One snapshot as L4 connections read it, swapped whole: each listener by the slot its handler was given at bind
/// time (a connection does one array read, no lookup by name), the ssl-passthrough hosts of the HTTPS listeners, and
/// every backend (the TCP-connect prober reads these).
/// </summary>
internal sealed class L4Routing(
    long version,
    ImmutableArray<L4ListenerState?> bySlot,
    FrozenDictionary<string, L4ListenerState> byName,
    FrozenDictionary<string, L4RouteState> routes,
    HostMap<L4RouteState> passthrough,
    ImmutableDictionary<string, BackendState> backends,
    ProxyDefaults defaults)
{
    public static readonly L4Routing Empty = new(0, [], FrozenDictionary<string, L4ListenerState>.Empty, FrozenDictionary<string, L4RouteState>.Empty, HostMap<L4RouteState>.Empty, ImmutableDictionary<string, BackendState>.Empty, new ProxyDefaults());

    public long Version => version;

    public FrozenDictionary<string, L4ListenerState> Listeners => byName;

    /// <summary>Every route (listeners' and passthrough hosts') by id: the sweep checks an open connection's pod here.</summary>
    public FrozenDictionary<string, L4RouteState> Routes => routes;

    /// <summary>Hosts of ssl-passthrough Ingresses: on the HTTPS listeners, their connections are relayed untouched.</summary>
    public HostMap<L4RouteState> Passthrough => passthrough;

    public ImmutableDictionary<string, BackendState> Backends => backends;

    public ProxyDefaults Defaults => defaults;

    /// <summary>The listener bound in <paramref name="slot"/>, or null when this snapshot has no such listener.</summary>
    public L4ListenerState? Listener(int slot) => (uint)slot < (uint)bySlot.Length ? bySlot[slot] : null;
}
