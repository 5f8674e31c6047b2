using System.Collections.Frozen;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Routing;
using OneHop.Core.Routing.L4;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// One L4 route as connections read it in one snapshot: its backend's state (pickers, availability, runtime state
/// shared with HTTP) and the pods a connection may stay on (ready ones); a connection to any other pod drains.
/// </summary>
internal sealed class L4RouteState
{
    public L4RouteState(L4Route route, BackendState backend)
    {
        Route = route;
        Backend = backend;
        Ready = backend.Backend.Endpoints.Where(e => e.State == EndpointState.Ready).Select(e => e.Id).ToFrozenSet(StringComparer.Ordinal);
    }

    public L4Route Route { get; }

    public string Id => Route.Id;

    public BackendState Backend { get; }

    public ProxyProtocolVersion? ProxyProtocolToBackend => Route.ProxyProtocolToBackend;

    /// <summary>The endpoints that are ready in this snapshot: connections to them go on; to others, they drain.</summary>
    public FrozenSet<string> Ready { get; }
}
