using System.Net;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Balancing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// One proxied request as OneHop's own code sees it, set on the request's features for its whole life: what pickers
/// may read of it (<see cref="IBalancedRequest"/>), and whether the current attempt may hold back a pod's 502/503 for
/// a retry (read by the forwarder) and did.
/// </summary>
internal sealed class ProxyRequest(HttpContext context) : IBalancedRequest
{
    public HttpContext Context => context;

    /// <summary>This attempt may keep a 502 or 503 (the route's retry codes) from the client: another attempt will follow.</summary>
    public bool MayHoldBack { get; set; }

    /// <summary>The route's own retry (Gateway API's HTTPRoute <c>retry</c>); null for the backend's retry policy alone.</summary>
    public RouteRetry? Retry { get; set; }

    /// <summary>The client's Host when a route's URLRewrite replaced it (X-Forwarded-Host and Forwarded keep the client's).</summary>
    public string? HostBeforeRewrite { get; set; }

    /// <summary>
    /// X-Forwarded-Prefix set by the route (ingress-nginx's <c>x-forwarded-prefix</c>): OneHop's own, so it reaches the pod
    /// even where the client's X-Forwarded-* headers are dropped.
    /// </summary>
    public string? ForwardedPrefix { get; set; }

    /// <summary>Request body bytes the current attempt sent to its pod, as the client sent them (both forwarders count them).</summary>
    public long SentBodyBytes { get; set; }

    /// <summary>Response body bytes the current attempt received from its pod (as <see cref="SentBodyBytes"/>).</summary>
    public long ReceivedBodyBytes { get; set; }

    /// <summary>The request's access log line while it is being filled; null when the access log is off.</summary>
    public HttpAccessRecord? AccessRecord { get; init; }

    /// <summary>
    /// The route's error pages (ingress-nginx's <c>custom-http-errors</c>) while an answer of theirs may still replace the
    /// pod's; null for routes without, and once the error request is under way (its answer is never replaced).
    /// </summary>
    public ErrorPagesTarget? ErrorPages { get; set; }

    /// <summary>The request target as the client sent it, before the route's rewrite (X-Original-URI); set with <see cref="ErrorPages"/>.</summary>
    public string? OriginalTarget { get; set; }

    /// <summary>
    /// True when this attempt keeps a pod's answer of <paramref name="status"/> from the client for a retry: the route's
    /// retry codes, else 502 and 503 (a pod shutting down).
    /// </summary>
    public bool HoldsBackForRetry(int status) => MayHoldBack && (Retry is { } retry ? retry.Retries(status) : status is StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable);

    /// <summary>True when the forwarder keeps a pod's answer of <paramref name="status"/> from the client: for a retry, or for the route's error page.</summary>
    public bool HoldsBack(int status) => HoldsBackForRetry(status) || ErrorPages?.Pages.Replaces(status) == true;

    public IPAddress? ClientAddress => context.Connection.RemoteIpAddress;

    public string Path => context.Request.Path.Value ?? "/";

    public string? Header(string name)
    {
        var values = context.Request.Headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => values.ToString(),
        };
    }

    public string? Cookie(string name) => context.Request.Cookies[name];

    public void SetAffinityCookie(string name, string value, AffinityCookieAttributes? attributes = null) => PendingAffinityCookie.Set(context, name, value, attributes);
}
