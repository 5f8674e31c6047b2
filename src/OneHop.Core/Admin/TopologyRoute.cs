using System.Collections.Immutable;

namespace OneHop.Core.Admin;

/// <summary>
/// One route as a person reads it: where it came from (<paramref name="Kind"/>: Ingress, HTTPRoute, GRPCRoute, config),
/// what it matches, and the Services (backend ids, see <see cref="TopologyService.Id"/>) it sends to.
/// </summary>
/// <param name="Port">The Gateway listener port it is served on; null for every HTTP listener.</param>
/// <param name="Redirect">True when the route answers with a redirect and sends nothing to a Service.</param>
/// <param name="Listener">An L4 route's listener (its <paramref name="Host"/> is the SNI name, empty for every name); null for HTTP.</param>
/// <param name="Protocol">An L4 route's protocol: <c>tcp</c>, <c>udp</c> or <c>tls-passthrough</c>; null for HTTP.</param>
internal sealed record TopologyRoute(
    string Id,
    string Kind,
    string Host,
    string Path,
    string Source,
    int? Port,
    ImmutableArray<TopologyRouteBackend> Backends,
    bool Redirect = false,
    string? Listener = null,
    string? Protocol = null);
