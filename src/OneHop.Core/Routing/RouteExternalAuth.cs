using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneHop.Core.Routing;

/// <summary>
/// External authentication on a route (ingress-nginx's <c>auth-url</c>, the oauth2-proxy pattern): before forwarding,
/// a request without its body goes to <see cref="Url"/> with the client's headers; a 2xx lets the request through with
/// <see cref="ResponseHeaders"/> copied from the answer, 401 and 403 go back to the client (401 becomes a 302 to
/// <see cref="Signin"/> when there is one), and anything else, a timeout or an unreachable service is answered 500.
/// </summary>
/// <param name="Url">Where the subrequest goes, as written; nginx variables such as <c>$host</c> are filled in per request.</param>
/// <param name="Method">The subrequest's method; null sends GET without X-Original-URI and X-Scheme, as nginx does.</param>
/// <param name="Signin">Where a 401 is redirected to, as written; null answers the 401 itself.</param>
/// <param name="SigninRedirectParam">The query parameter of <see cref="Signin"/> that carries the original URL.</param>
/// <param name="ResponseHeaders">Headers of the 2xx answer set on the request to the pod (a client's own copy never passes).</param>
/// <param name="RequestRedirect">X-Auth-Request-Redirect sent to the service; null sends the request URI.</param>
internal sealed record RouteExternalAuth(
    string Url,
    string? Method,
    string? Signin,
    string SigninRedirectParam,
    ImmutableArray<string> ResponseHeaders,
    string? RequestRedirect)
{
    /// <summary>
    /// The backend of the Service that <see cref="Url"/> names by cluster DNS (<c>svc.ns.svc.cluster.local</c>): the
    /// subrequest goes straight to one of its ready pods, as every other request does. Null: the name is resolved by DNS.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BackendId { get; init; }

    /// <summary>How long the subrequest may take, connect included, before it counts as failed (500); nginx's 60 s read timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Set-Cookie of the service's answer is added to the client's response even when it is not a success (auth-always-set-cookie).</summary>
    public bool AlwaysSetCookie { get; init; }

    /// <summary>
    /// Headers set on the subrequest after the others (auth-proxy-set-headers), values with the variables of
    /// <see cref="RequestTemplate"/>; one whose value is empty is not sent, as with nginx's proxy_set_header.
    /// </summary>
    public ImmutableArray<KeyValuePair<string, string>> RequestHeaders { get; init; } = [];

    /// <summary>Reuse of the service's answers (auth-cache-key); null asks the service about every request.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteAuthCache? Cache { get; init; }

    public bool Equals(RouteExternalAuth? other) =>
        other is not null && Url == other.Url && Method == other.Method && Signin == other.Signin && SigninRedirectParam == other.SigninRedirectParam
        && ResponseHeaders.SequenceEqual(other.ResponseHeaders, StringComparer.OrdinalIgnoreCase) && RequestRedirect == other.RequestRedirect
        && BackendId == other.BackendId && Timeout == other.Timeout && AlwaysSetCookie == other.AlwaysSetCookie
        && RequestHeaders.SequenceEqual(other.RequestHeaders) && Equals(Cache, other.Cache);

    public override int GetHashCode() => HashCode.Combine(Url, Method, Signin, BackendId);
}
