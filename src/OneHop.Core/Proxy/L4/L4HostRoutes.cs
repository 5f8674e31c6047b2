using OneHop.Core.Configuration;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.L4;

/// <summary>The routes of an L4 listener for one destination address (or for any), matched by SNI name.</summary>
internal sealed class L4HostRoutes
{
    private readonly HostMap<L4RouteState> _byHost;
    private readonly HostMap<L4RouteState> _deeper;

    public L4HostRoutes(IEnumerable<L4RouteState> routes)
    {
        var list = routes.ToList();
        _byHost = new HostMap<L4RouteState>(list.Where(r => r.Route.Host.Length > 0).Select(r => KeyValuePair.Create(r.Route.Host, r)));
        _deeper = new HostMap<L4RouteState>(list.Where(r => r.Route.SuffixWildcard && HostRules.IsWildcard(r.Route.Host)).Select(r => KeyValuePair.Create(r.Route.Host[2..], r)));
        EveryName = list.FirstOrDefault(r => r.Route.Host.Length == 0);
    }

    /// <summary>The route of a TCP or UDP listener, and a tls-passthrough listener's route for every other name.</summary>
    public L4RouteState? EveryName { get; }

    /// <summary>
    /// The route for an SNI name (normalized: lowercase, no trailing dot): exact, then the one-label wildcard, then a Gateway
    /// route's wildcard two or more labels up (the longest suffix first), then every name.
    /// </summary>
    public L4RouteState? Match(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return EveryName;
        }

        return _byHost.TryGet(serverName, out var route) || (_deeper.Count > 0 && _deeper.TryGetLongestSuffix(serverName, out route))
            ? route
            : EveryName;
    }
}
