using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.Routing.L4;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// One L4 listener in one snapshot: its routes (by destination address for a Gateway's with <c>spec.addresses</c>, then
/// by SNI for tls-passthrough) and its timeouts.
/// </summary>
internal sealed class L4ListenerState
{
    private readonly Dictionary<IPAddress, L4HostRoutes> _byAddress;
    private readonly L4HostRoutes? _anyAddress;

    public L4ListenerState(L4Listener listener, IReadOnlyList<L4RouteState> routes)
    {
        Listener = listener;
        Routes = routes;
        _byAddress = routes.Where(r => r.Route.Address is not null)
            .GroupBy(r => IPAddress.Parse(r.Route.Address!))
            .ToDictionary(g => g.Key, g => new L4HostRoutes(g));
        _anyAddress = routes.Any(r => r.Route.Address is null) ? new L4HostRoutes(routes.Where(r => r.Route.Address is null)) : null;
    }

    public L4Listener Listener { get; }

    public string Name => Listener.Name;

    public ListenerProtocol Protocol => Listener.Protocol;

    public IReadOnlyList<L4RouteState> Routes { get; }

    /// <summary>
    /// The routes for a connection to <paramref name="destination"/>: those scoped to it, else those of any address. A
    /// UDP datagram's destination is not known on a wildcard bind (null): the routes of any address, else the first
    /// address's.
    /// </summary>
    public L4HostRoutes? For(IPAddress? destination)
    {
        if (destination is null)
        {
            return _anyAddress ?? Routes.Select(r => r.Route.Address).OfType<string>().Select(a => _byAddress[IPAddress.Parse(a)]).FirstOrDefault();
        }

        if (destination.IsIPv4MappedToIPv6)
        {
            destination = destination.MapToIPv4();
        }

        return _byAddress.TryGetValue(destination, out var scoped) ? scoped : _anyAddress;
    }

    /// <summary>The route of a TCP or UDP listener for a destination (null: not known).</summary>
    public L4RouteState? Default(IPAddress? destination = null) => For(destination)?.EveryName;

    /// <summary>The route for an SNI name on a connection to <paramref name="destination"/> (see <see cref="L4HostRoutes.Match"/>).</summary>
    public L4RouteState? Match(string? serverName, IPAddress? destination = null) => For(destination)?.Match(serverName);
}
