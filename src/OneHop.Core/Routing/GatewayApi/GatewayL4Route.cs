using System.Collections.Immutable;
using OneHop.Core.State;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// A TCPRoute, UDPRoute or TLSRoute attached to one TCP, UDP or TLS listener: what the L4 translator turns into a
/// route of that listener's port.
/// </summary>
/// <param name="Host">The SNI name it takes on a TLS listener (the route's hostname narrowed to the listener's); empty for every name.</param>
/// <param name="Splits">Its rule's backends with their weights; an unresolved one has no backend id (its share of connections is closed).</param>
/// <param name="Rank">Older routes rank first: of two routes for one port (and SNI name), the older serves.</param>
internal sealed record GatewayL4Route(AttachableListener Listener, string Host, ObjectRef Route, string Source, ImmutableArray<RouteBackend> Splits, int Rank);
