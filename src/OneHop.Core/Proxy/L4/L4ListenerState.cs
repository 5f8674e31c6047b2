using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.Routing.L4;

namespace OneHop.Core.Proxy.L4;

/// <summary>One L4 listener in one snapshot: its routes (by SNI for tls-passthrough) and its timeouts.</summary>
internal sealed class L4ListenerState
{
    private readonly HostMap<L4RouteState> _byHost;
    private readonly HostMap<L4RouteState> _deeper;
    private readonly L4RouteState? _everyName;

    public L4ListenerState(L4Listener listener, IReadOnlyList<L4RouteState> routes)
    {
        Listener = listener;
        Routes = routes;
        _byHost = new HostMap<L4RouteState>(routes.Where(r => r.Route.Host.Length > 0).Select(r => KeyValuePair.Create(r.Route.Host, r)));
        _deeper = new HostMap<L4RouteState>(routes.Where(r => r.Route.SuffixWildcard && HostRules.IsWildcard(r.Route.Host)).Select(r => KeyValuePair.Create(r.Route.Host[2..], r)));
        _everyName = routes.FirstOrDefault(r => r.Route.Host.Length == 0);
    }

    public L4Listener Listener { get; }

    public string Name => Listener.Name;

    public ListenerProtocol Protocol => Listener.Protocol;

    public IReadOnlyList<L4RouteState> Routes { get; }

    /// <summary>The route of a TCP or UDP listener, and a tls-passthrough listener's route for every other name.</summary>
    public L4RouteState? Default => _everyName;

    /// <summary>
    /// The route for an SNI name (normalized: lowercase, no trailing dot): exact, then the one-label wildcard, then a Gateway
    /// route's wildcard two or more labels up (the longest suffix first), then every name.
    /// </summary>
    public L4RouteState? Match(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return _everyName;
        }

        return _byHost.TryGet(serverName, out var route) || (_deeper.Count > 0 && _deeper.TryGetLongestSuffix(serverName, out route))
            ? route
            : _everyName;
    }
}
