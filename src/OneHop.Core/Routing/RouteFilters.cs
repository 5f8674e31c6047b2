namespace OneHop.Core.Routing;

/// <summary>What a route does to a request and its response besides choosing a backend (Gateway API filters).</summary>
/// <param name="Request">Header edits before forwarding.</param>
/// <param name="Response">Header edits on the pod's answer.</param>
/// <param name="Rewrite">Host and path rewrite before forwarding.</param>
/// <param name="Redirect">OneHop answers with a redirect instead of forwarding.</param>
internal sealed record RouteFilters(
    HeaderEdits? Request = null,
    HeaderEdits? Response = null,
    RouteRewrite? Rewrite = null,
    RouteRedirect? Redirect = null)
{
    /// <summary>Where copies of the request go (after the header edits and rewrite); null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteMirror[]? Mirrors { get; init; }

    /// <summary>CORS headers, and preflights answered by OneHop; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteCors? Cors { get; init; }

    /// <summary>User-Agent and Referer values refused (403) before anything else; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteRequestBlocks? Blocks { get; init; }

    /// <summary>The client addresses allowed and denied (403); null for every address.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteSourceRanges? SourceRanges { get; init; }

    /// <summary>Users and passwords a request must carry (401 without); null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteBasicAuth? BasicAuth { get; init; }

    /// <summary>An authentication service every request is checked with first; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteExternalAuth? ExternalAuth { get; init; }

    /// <summary>Per-client-address request rates and concurrency (503 beyond); null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteRateLimit? RateLimit { get; init; }

    /// <summary>The largest request body in bytes (413 beyond), 0 for no limit; null keeps the proxy's <c>limits.maxRequestBodySize</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxRequestBodySize { get; init; }

    /// <summary>The Service that answers for the route's errors, or while its own has no endpoint; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteErrorPages? ErrorPages { get; init; }

    /// <summary>The client certificate told to the pod in ingress-nginx's ssl-client-* headers; null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteClientCertificate? ClientCertificate { get; init; }

    /// <summary>Location, Refresh and Set-Cookie rewrites on the pod's answer (ingress-nginx's proxy-redirect-* and proxy-cookie-*); null for none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RouteResponseRewrite? ResponseRewrite { get; init; }

    public bool Equals(RouteFilters? other) =>
        other is not null && Equals(Request, other.Request) && Equals(Response, other.Response) && Rewrite == other.Rewrite && Redirect == other.Redirect
        && Cors == other.Cors && Blocks == other.Blocks && SourceRanges == other.SourceRanges && BasicAuth == other.BasicAuth && ExternalAuth == other.ExternalAuth && RateLimit == other.RateLimit && MaxRequestBodySize == other.MaxRequestBodySize && ErrorPages == other.ErrorPages && ClientCertificate == other.ClientCertificate && ResponseRewrite == other.ResponseRewrite && (Mirrors ?? []).SequenceEqual(other.Mirrors ?? []);

    public override int GetHashCode() => HashCode.Combine(Request, Response, Rewrite, Redirect);
}
