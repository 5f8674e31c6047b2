using System.Collections.Immutable;
using System.Text.Json.Serialization;
using OneHop.Core.Configuration;

namespace OneHop.Core.Routing;

/// <summary>One host + path rule and the backend it sends to.</summary>
/// <param name="Id">Stable, content-derived identity (same rule, same id across snapshots).</param>
/// <param name="Host">Empty for any host, <c>foo.com</c>, or <c>*.foo.com</c> (one label); lowercase.</param>
/// <param name="Path">The rule's path as written (ImplementationSpecific with no path becomes <c>/</c>).</param>
/// <param name="PathType">Exact or Prefix.</param>
/// <param name="BackendId">The <see cref="Backend.Id"/> it routes to.</param>
/// <param name="Source">Where the rule came from, e.g. <c>Ingress default/web spec.rules[0].http.paths[1]</c>.</param>
/// <param name="Timeout">Longest a request on this route may take in all, retries included; null for no limit.</param>
internal sealed record Route(
    string Id,
    string Host,
    string Path,
    PathMatchType PathType,
    string BackendId,
    string Source,
    TimeSpan? Timeout = null)
{
    /// <summary>The listener port the route is served on (a Gateway listener's); 0 for every HTTP listener (Ingress, config).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Port { get; init; }

    /// <summary>
    /// The local address the route is served on (a Gateway's own <c>spec.addresses</c> entry, as an IP's text); null for
    /// every address.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Address { get; init; }

    /// <summary>
    /// A wildcard host that covers any number of labels (<c>*.example.com</c> matches <c>a.b.example.com</c>), as Gateway
    /// API hostnames do; Ingress wildcards cover exactly one label.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool SuffixWildcard { get; init; }

    /// <summary>
    /// The hostname of the Gateway listener the route is attached to (empty for a listener without one); null for
    /// routes not of a Gateway. A request is served only by the routes of the listener its host selects.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ListenerHost { get; init; }

    /// <summary>Method, header, query and path-regex conditions; null for a host + path route.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteConditions? Conditions { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteFilters? Filters { get; init; }

    /// <summary>Weighted backends (Gateway API); when not empty they replace <see cref="BackendId"/>.</summary>
    [JsonIgnore]
    public ImmutableArray<RouteBackend> Splits { get; init; } = [];

    /// <summary><see cref="Splits"/> as JSON (/api/routes, golden files): absent when the route has one backend.</summary>
    [JsonPropertyName("splits")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteBackend[]? SplitsShown => Splits.IsEmpty ? null : [.. Splits];

    /// <summary>
    /// Longest one attempt to a pod may take, from sending the request to the end of the response (Gateway API's
    /// <c>timeouts.backendRequest</c>): an attempt past it is abandoned and answered 504; null for no limit of its own.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TimeSpan? BackendTimeout { get; init; }

    /// <summary>The route's own connect, read and send timeouts towards pods (ingress-nginx's); null for the config's defaults.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UpstreamTimeouts? UpstreamTimeouts { get; init; }

    /// <summary>The route's own retry (Gateway API's HTTPRoute <c>retry</c>); null for the backend's retry policy alone.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteRetry? Retry { get; init; }

    /// <summary>The route's requests are left out of the access log (ingress-nginx's <c>enable-access-log: "false"</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool WithoutAccessLog { get; init; }

    /// <summary>Requests of the route left out of the access log by their path and query (ingress-nginx's <c>skip-access-log-urls</c>); null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MapPatterns? AccessLogSkips { get; init; }

    /// <summary>The route's own tracing (ingress-nginx's); null for <see cref="RouteTracing.Default"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteTracing? Tracing { get; init; }

    /// <summary>A request without <c>X-Request-ID</c> gets one before anything acts on it (ingress-nginx's <c>generate-request-id</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool GeneratesRequestId { get; init; }

    /// <summary>The pod gets <c>X-Original-URI</c> with the target as sent, before any rewrite (ingress-nginx's <c>proxy-add-original-uri-header</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AddsOriginalUri { get; init; }

    /// <summary>How fast the route's answers go to the client (ingress-nginx's <c>limit-rate</c>); null for as fast as it takes them.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteResponseRate? ResponseRate { get; init; }

    /// <summary>How the route's answers are compressed for clients that accept it; null for not at all.</summary>
    [JsonIgnore]
    public Configuration.Compression.CompressionPolicy? Compression { get; init; }

    /// <summary><see cref="Compression"/> as JSON (/api/routes): its codings and levels, e.g. <c>br:4</c>; absent without.</summary>
    [JsonPropertyName("compression")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? CompressionShown => Compression is { } c ? [.. c.Codings.Select(x => $"{x.Name}:{x.Level}")] : null;

    /// <summary>Order among equally specific routes: Gateway API's oldest route first, then its rule and match order.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Rank { get; init; }

    /// <summary>
    /// Orders rules of one host by precedence: the longest matching path first, Exact before Prefix at equal length, then the
    /// more specific conditions (a method, more headers, more query parameters), then <see cref="Rank"/>, then by id
    /// so the order never depends on input order.
    /// </summary>
    public static int ComparePrecedence(Route a, Route b)
    {
        // The length that matches: a Prefix rule's trailing '/' is not part of it (Prefix /foo/ matches /foo), so at
        // equal matching length Exact /foo wins over Prefix /foo/ as the Ingress spec's longest-match-then-Exact says.
        var byLength = MatchLength(b).CompareTo(MatchLength(a));
        if (byLength != 0)
        {
            return byLength;
        }

        var byType = a.PathType.CompareTo(b.PathType);
        if (byType != 0)
        {
            return byType;
        }

        // A regex path sorts after every plain path of its length (it is written as the prefix "/").
        var byRegex = (a.Conditions?.PathRegex is not null).CompareTo(b.Conditions?.PathRegex is not null);
        if (byRegex != 0)
        {
            return byRegex;
        }

        var byConditions = RouteConditions.CompareSpecificity(a.Conditions, b.Conditions);
        if (byConditions != 0)
        {
            return byConditions;
        }

        var byRank = a.Rank.CompareTo(b.Rank);
        return byRank != 0 ? byRank : string.CompareOrdinal(a.Id, b.Id);
    }

    private static int MatchLength(Route route) =>
        route.PathType == PathMatchType.Prefix ? PathRules.PrefixKey(route.Path).Length : route.Path.Length;

    public bool Equals(Route? other) =>
        ReferenceEquals(this, other) || other is not null && Id == other.Id && Host == other.Host && Path == other.Path && PathType == other.PathType
        && BackendId == other.BackendId && Source == other.Source && Timeout == other.Timeout && BackendTimeout == other.BackendTimeout && UpstreamTimeouts == other.UpstreamTimeouts && Retry == other.Retry && Tracing == other.Tracing && Compression == other.Compression && ResponseRate == other.ResponseRate && GeneratesRequestId == other.GeneratesRequestId && AddsOriginalUri == other.AddsOriginalUri && WithoutAccessLog == other.WithoutAccessLog && Equals(AccessLogSkips, other.AccessLogSkips) && Port == other.Port
        && SuffixWildcard == other.SuffixWildcard && ListenerHost == other.ListenerHost && Equals(Conditions, other.Conditions) && Filters == other.Filters
        && Splits.SequenceEqual(other.Splits) && Rank == other.Rank;

    public override int GetHashCode() => HashCode.Combine(Id, Host, Path, BackendId);
}
