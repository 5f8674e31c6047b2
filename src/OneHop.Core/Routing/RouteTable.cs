using System.Collections.Immutable;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing;

/// <summary>
/// A snapshot's routes compiled for matching: hosts by dictionary, paths in precedence order. Matching allocates
/// nothing. Host precedence: exact hosts, then wildcards, then rules without a host; the first of these classes
/// with a matching path wins, and the default route takes what none matches.
/// </summary>
internal sealed class RouteTable
{
    public const int NoMatch = -1;

    private readonly HostMap<Entry[]> _hosts;
    private readonly Entry[] _any;
    private readonly int _defaultIndex;
    private readonly ImmutableArray<Route> _routes;
    private readonly Route? _default;

    public RouteTable(RoutingSnapshot snapshot)
        : this(snapshot.Routes, snapshot.DefaultRoute)
    {
    }

    public RouteTable(ImmutableArray<Route> routes, Route? defaultRoute)
    {
        _routes = routes;
        _default = defaultRoute;
        Routes = defaultRoute is { } d ? routes.Add(d) : routes;
        _defaultIndex = defaultRoute is null ? NoMatch : routes.Length;

        var byHost = new Dictionary<string, List<Entry>>(StringComparer.OrdinalIgnoreCase);
        var any = new List<Entry>();
        for (var i = 0; i < routes.Length; i++)
        {
            var route = routes[i];
            var matchPath = route.PathType == PathMatchType.Prefix ? PathRules.PrefixKey(route.Path) : route.Path;
            var entry = new Entry(matchPath, route.PathType, i, route);
            (route.Host.Length == 0 ? any : Bucket(byHost, route.Host)).Add(entry);
        }

        _hosts = new HostMap<Entry[]>(byHost.Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value))));
        _any = Sorted(any);
    }

    /// <summary>All routes by index; the default route, when there is one, is last.</summary>
    public ImmutableArray<Route> Routes { get; }

    /// <summary>True when <paramref name="snapshot"/> has exactly these routes, so this table can serve it.</summary>
    public bool Serves(RoutingSnapshot snapshot) =>
        snapshot.DefaultRoute == _default && snapshot.Routes.AsSpan().SequenceEqual(_routes.AsSpan());

    public Route? Match(ReadOnlySpan<char> requestHost, ReadOnlySpan<char> path)
    {
        var index = MatchIndex(requestHost, path);
        return index == NoMatch ? null : Routes[index];
    }

    /// <summary>The index in <see cref="Routes"/> of the route for a request, or <see cref="NoMatch"/>.</summary>
    public int MatchIndex(ReadOnlySpan<char> requestHost, ReadOnlySpan<char> path)
    {
        var host = HostRules.Normalize(requestHost);
        if (host.Length > 0)
        {
            // A host with rules of its own falls through to its wildcard's rules when none of its paths match.
            if (_hosts.TryGetExact(host, out var rules) && Find(rules, path) is var e and >= 0)
            {
                return e;
            }

            if (_hosts.TryGetWildcard(host, out rules) && Find(rules, path) is var w and >= 0)
            {
                return w;
            }
        }

        var a = Find(_any, path);
        return a >= 0 ? a : _defaultIndex;
    }

    private static int Find(Entry[] entries, ReadOnlySpan<char> path)
    {
        foreach (var entry in entries)
        {
            if (PathRules.Matches(entry.Type, entry.MatchPath, path))
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

    private readonly record struct Entry(string MatchPath, PathMatchType Type, int Index, Route Route);
}
