using System.Collections.Immutable;
using System.Net;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing;

/// <summary>
/// A snapshot's routes compiled for matching: hosts by dictionary, paths in precedence order (Gateway API's Exact
/// paths first). Matching allocates nothing. Host precedence: exact hosts, then wildcards (one label, then Gateway API's deeper suffixes, longest
/// first), then rules without a host; the first of these classes with a matching path (and conditions, and listener
/// port) wins, and the default route takes what none matches.
/// </summary>
internal sealed class RouteTable
{
    public const int NoMatch = -1;

    private readonly HostMap<Entry[]> _hosts;
    private readonly HostMap<Entry[]> _suffixes;
    private readonly Entry[] _any;
    private readonly int _defaultIndex;
    private readonly ImmutableArray<Route> _routes;
    private readonly Route? _default;
    private readonly ImmutableArray<GatewayApi.GatewayPort> _gatewayPorts;
    private readonly Dictionary<int, ListenerHosts> _listeners;
    private readonly Dictionary<int, ListenerHosts> _httpsListeners;

    public RouteTable(RoutingSnapshot snapshot)
        : this(snapshot.Routes, snapshot.DefaultRoute, snapshot.GatewayPorts)
    {
    }

    /// <param name="gatewayPorts">The Gateway listeners' hostnames by port, for listener isolation; none: no isolation.</param>
    public RouteTable(ImmutableArray<Route> routes, Route? defaultRoute, ImmutableArray<GatewayApi.GatewayPort> gatewayPorts = default)
    {
        _gatewayPorts = gatewayPorts.IsDefault ? [] : gatewayPorts;
        _listeners = _gatewayPorts.ToDictionary(p => p.Port, p => new ListenerHosts(p.Hostnames));
        _httpsListeners = _gatewayPorts.Where(p => p.Https).ToDictionary(p => p.Port, p => _listeners[p.Port]);
        _routes = routes;
        _default = defaultRoute;
        Routes = defaultRoute is { } d ? routes.Add(d) : routes;
        _defaultIndex = defaultRoute is null ? NoMatch : routes.Length;
        HasRouteTracing = Routes.Any(r => r.Tracing is { ChangesSpanStart: true });

        var byHost = new Dictionary<string, List<Entry>>(StringComparer.OrdinalIgnoreCase);
        var bySuffix = new Dictionary<string, List<Entry>>(StringComparer.OrdinalIgnoreCase);
        var any = new List<Entry>();
        for (var i = 0; i < routes.Length; i++)
        {
            var route = routes[i];
            var matchPath = route.PathType == PathMatchType.Prefix ? PathRules.PrefixKey(route.Path) : route.Path;
            var entry = new Entry(matchPath, route.PathType, i, route.Port, route.Address is { } a ? IPAddress.Parse(a) : null, route.Conditions, route);
            (route.Host.Length == 0 ? any : Bucket(byHost, route.Host)).Add(entry);
            if (route.SuffixWildcard && HostRules.IsWildcard(route.Host))
            {
                Bucket(bySuffix, route.Host[2..]).Add(entry);
            }
        }

        _hosts = new HostMap<Entry[]>(byHost.Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value))));
        _suffixes = new HostMap<Entry[]>(bySuffix.Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value))));
        _any = Sorted(any);
    }

    /// <summary>
    /// True when some route's requests start their span otherwise than by default (<see cref="RouteTracing.ChangesSpanStart"/>):
    /// only then does tracing need the route before the request's span starts.
    /// </summary>
    public bool HasRouteTracing { get; }

    /// <summary>True when some Gateway port is HTTPS: only then can a request be misdirected.</summary>
    public bool HasHttpsGatewayPorts => _httpsListeners.Count > 0;

    /// <summary>
    /// True when, on a Gateway's HTTPS port, the request's host selects another listener than the TLS server name did
    /// (a connection reused for another host, or a client that sent one name in SNI and another in Host): Gateway API
    /// asks for 421 Misdirected Request then. Without SNI, or on any other port, nothing is misdirected.
    /// </summary>
    public bool Misdirected(int localPort, ReadOnlySpan<char> requestHost, string? serverName)
    {
        if (string.IsNullOrEmpty(serverName) || !_httpsListeners.TryGetValue(localPort, out var listeners))
        {
            return false;
        }

        var byName = listeners.Select(HostRules.Normalize(serverName));
        return byName is not null && !string.Equals(byName, listeners.Select(HostRules.Normalize(requestHost)), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>All routes by index; the default route, when there is one, is last.</summary>
    public ImmutableArray<Route> Routes { get; }

    /// <summary>True when <paramref name="snapshot"/> has exactly these routes, so this table can serve it.</summary>
    public bool Serves(RoutingSnapshot snapshot) =>
        snapshot.DefaultRoute == _default && snapshot.Routes.AsSpan().SequenceEqual(_routes.AsSpan()) && snapshot.GatewayPorts.SequenceEqual(_gatewayPorts);

    /// <summary>The route for a GET with no headers on any listener: for tests and tools that route by host and path.</summary>
    public Route? Match(ReadOnlySpan<char> requestHost, ReadOnlySpan<char> path)
    {
        var index = MatchIndex(requestHost, path);
        return index == NoMatch ? null : Routes[index];
    }

    /// <inheritdoc cref="Match"/>
    public int MatchIndex(ReadOnlySpan<char> requestHost, ReadOnlySpan<char> path) => MatchIndex(requestHost, path, 0, new BareRequest());

    /// <summary>
    /// The index in <see cref="Routes"/> of the route for a request that arrived on <paramref name="localPort"/> of
    /// <paramref name="localAddress"/>, or <see cref="NoMatch"/>. Port 0 matches routes of every listener, a null address
    /// routes of every address.
    /// </summary>
    public int MatchIndex<TFacts>(ReadOnlySpan<char> requestHost, ReadOnlySpan<char> path, int localPort, in TFacts request, IPAddress? localAddress = null)
        where TFacts : IRequestFacts, allows ref struct
    {
        var host = HostRules.Normalize(requestHost);

        // A dual-mode socket reports IPv4 clients' connections on an IPv4-mapped address: a Gateway's address is plain IPv4.
        var address = localAddress is { IsIPv4MappedToIPv6: true } ? localAddress.MapToIPv4() : localAddress;

        // Gateway API listener isolation: on a Gateway's port, only the routes of the listener the host selects.
        var scope = localPort != 0 && _listeners.TryGetValue(localPort, out var listeners)
            ? new Scope(localPort, address, true, listeners.Select(host))
            : new Scope(localPort, address, false, null);
        if (host.Length > 0)
        {
            // A host with rules of its own falls through to its wildcard's rules when none of its paths match.
            if (_hosts.TryGetExact(host, out var rules) && Find(rules, path, scope, request) is var e and >= 0)
            {
                return e;
            }

            if (_hosts.TryGetWildcard(host, out rules) && Find(rules, path, scope, request) is var w and >= 0)
            {
                return w;
            }

            if (_suffixes.Count > 0 && FindDeeper(host, path, scope, request) is var d and >= 0)
            {
                return d;
            }
        }

        var a = Find(_any, path, scope, request);
        return a >= 0 ? a : _defaultIndex;
    }

    /// <summary>Gateway API wildcards two or more labels up (<c>*.example.com</c> for <c>a.b.example.com</c>), the longest suffix first.</summary>
    private int FindDeeper<TFacts>(ReadOnlySpan<char> host, ReadOnlySpan<char> path, in Scope scope, in TFacts request)
        where TFacts : IRequestFacts, allows ref struct
    {
        for (var suffix = HostRules.WildcardSuffix(HostRules.WildcardSuffix(host)); suffix.Length > 0; suffix = HostRules.WildcardSuffix(suffix))
        {
            if (_suffixes.TryGetExact(suffix, out var rules) && Find(rules, path, scope, request) is var found and >= 0)
            {
                return found;
            }
        }

        return NoMatch;
    }

    private static int Find<TFacts>(Entry[] entries, ReadOnlySpan<char> path, in Scope scope, in TFacts request)
        where TFacts : IRequestFacts, allows ref struct
    {
        foreach (var entry in entries)
        {
            if ((entry.Port == 0 || scope.LocalPort == 0 || entry.Port == scope.LocalPort)
                && (entry.Address is null || scope.LocalAddress is null || entry.Address.Equals(scope.LocalAddress))
                && (entry.Route.ListenerHost is null || !scope.Isolated || string.Equals(entry.Route.ListenerHost, scope.Listener, StringComparison.OrdinalIgnoreCase))
                && PathRules.Matches(entry.Type, entry.MatchPath, path)
                && (entry.Conditions is null || entry.Conditions.Matches(path, request)))
            {
                return entry.Index;
            }
        }

        return NoMatch;
    }

    private static List<Entry> Bucket(Dictionary<string, List<Entry>> map, string key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }

    private static Entry[] Sorted(List<Entry> entries)
    {
        var array = entries.ToArray();
        Array.Sort(array, (a, b) => Route.ComparePrecedence(a.Route, b.Route));
        return array;
    }

    private readonly record struct Entry(string MatchPath, PathMatchType Type, int Index, int Port, IPAddress? Address, RouteConditions? Conditions, Route Route);

    /// <summary>The listener (port and address) a request arrived on and, on a Gateway's port, the listener hostname its host selects.</summary>
    private readonly record struct Scope(int LocalPort, IPAddress? LocalAddress, bool Isolated, string? Listener);

    /// <summary>A GET without headers or query: what a route with conditions sees from <see cref="Match"/>.</summary>
    private readonly struct BareRequest : IRequestFacts
    {
        public string Method => "GET";

        public string? Header(string name) => null;

        public string? Query(string name) => null;
    }
}
