using System.Collections.Frozen;
using System.Collections.Immutable;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Routing;
using OneHop.Core.Routing.L4;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// One L4 route as connections read it in one snapshot: its backend's state (pickers, availability, runtime state
/// shared with HTTP) and the pods a connection may stay on (ready ones); a connection to any other pod drains. A
/// weighted route (a Gateway route's backendRefs) has a state per backend, one of which each connection takes.
/// </summary>
internal sealed class L4RouteState
{
    private readonly ImmutableArray<(L4RouteState Route, int UpTo)> _splits;
    private readonly int _total;

    public L4RouteState(L4Route route, BackendState backend, IEnumerable<(L4RouteState Route, int Weight)>? splits = null)
    {
        Route = route;
        Backend = backend;
        Ready = backend.Backend.Endpoints.Where(e => e.State == EndpointState.Ready).Select(e => e.Id).ToFrozenSet(StringComparer.Ordinal);
        var cumulative = ImmutableArray.CreateBuilder<(L4RouteState, int)>();
        foreach (var (split, weight) in splits ?? [])
        {
            _total += Math.Max(0, weight);
            cumulative.Add((split, _total));
        }

        _splits = cumulative.ToImmutable();
    }

    public L4Route Route { get; }

    public string Id => Route.Id;

    public BackendState Backend { get; }

    public ProxyProtocolVersion? ProxyProtocolToBackend => Route.ProxyProtocolToBackend;

    /// <summary>The endpoints that are ready in this snapshot: connections to them go on; to others, they drain.</summary>
    public FrozenSet<string> Ready { get; }

    /// <summary>The routes connections are carried by: this one, or each backend's of a weighted route.</summary>
    public IEnumerable<L4RouteState> Choices => _splits.IsEmpty ? [this] : _splits.Select(s => s.Route);

    /// <summary>
    /// The route a new connection takes: this one, or one backend's of a weighted route, in proportion to the weights;
    /// null when every weight is 0 (the connection is refused).
    /// </summary>
    public L4RouteState? Pick(IRandomSource random)
    {
        if (_splits.IsEmpty)
        {
            return this;
        }

        if (_total == 0)
        {
            return null;
        }

        var ticket = random.Next(_total);
        foreach (var (route, upTo) in _splits)
        {
            if (ticket < upTo)
            {
                return route;
            }
        }

        return _splits[^1].Route;
    }
}
