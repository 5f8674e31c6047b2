using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// One snapshot as the request path reads it, swapped whole: the route table and, by route index, each route's
/// <see cref="BackendState"/>; per-host TLS policies; the settings forwarding needs. A request takes one reference to
/// this object and never looks anything up by name.
/// </summary>
internal sealed class HttpRouting(
    long version,
    RouteTable table,
    ImmutableArray<BackendState?> backendsByRoute,
    ImmutableDictionary<string, BackendState> backends,
    HostPolicyTable hostPolicies,
    ProxyDefaults defaults,
    ForwardedHeadersConfig forwarded)
{
    public static readonly HttpRouting Empty = new(0, new RouteTable(RoutingSnapshot.Empty), [], ImmutableDictionary<string, BackendState>.Empty, HostPolicyTable.Empty, new ProxyDefaults(), new ForwardedHeadersConfig());

    public long Version => version;

    public RouteTable Table => table;

    /// <summary>
    /// The backend of each route of <see cref="Table"/>, by the route's index; null for a route that splits by weight
    /// (<see cref="SplitsByRoute"/>) or answers itself (a redirect).
    /// </summary>
    public ImmutableArray<BackendState?> BackendsByRoute => backendsByRoute;

    /// <summary>The weighted backends of each route that has them, by the route's index; null for the others.</summary>
    public ImmutableArray<BackendSplit?> SplitsByRoute { get; init; } = [];

    /// <summary>The basic authentication of each route that has it, by the route's index; null for the others.</summary>
    public ImmutableArray<BasicAuthGate?> BasicAuthByRoute { get; init; } = [];

    /// <summary>The metric labels of each route, by the route's index.</summary>
    public ImmutableArray<Telemetry.RouteLabels> LabelsByRoute { get; init; } = [];

    /// <summary>The external authentication of each route that has it, by the route's index; null for the others.</summary>
    public ImmutableArray<ExternalAuthCheck?> ExternalAuthByRoute { get; init; } = [];

    /// <summary>The per-client-address limits of each route that has them, by the route's index; null for the others.</summary>
    public ImmutableArray<RouteRateLimiter?> RateLimitsByRoute { get; init; } = [];

    /// <summary>
    /// The error pages of each route that has them (ingress-nginx's <c>default-backend</c>, <c>custom-http-errors</c>)
    /// with the backend that answers them, by the route's index; null for the others.
    /// </summary>
    public ImmutableArray<ErrorPagesTarget?> ErrorPagesByRoute { get; init; } = [];

    /// <summary>Every backend by id.</summary>
    public ImmutableDictionary<string, BackendState> Backends => backends;

    public HostPolicyTable HostPolicies => hostPolicies;

    public ProxyDefaults Defaults => defaults;

    public ForwardedHeadersConfig Forwarded => forwarded;

    /// <summary>The PROXY protocol the cluster asks of listeners without one of their own (<see cref="RoutingSnapshot.ProxyProtocol"/>).</summary>
    public ProxyProtocolConfig? ProxyProtocol { get; init; }

    /// <summary>The config's public HTTPS port for redirects (<c>tls.redirectPort</c>); null means 443.</summary>
    public int? RedirectPort { get; init; }

    /// <summary>The status of HTTP→HTTPS redirects (<see cref="RoutingSnapshot.HttpsRedirectStatus"/>).</summary>
    public int HttpsRedirectStatus { get; init; } = 308;
}
