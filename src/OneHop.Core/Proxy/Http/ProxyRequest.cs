using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Balancing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// One proxied request as OneHop's own code sees it, set on the request's features for its whole life: what pickers
/// may read of it (<see cref="IBalancedRequest"/>), whether the current attempt may hold back a pod's 502/503 for
/// a retry (read by the forwarder) and did, and where its attempts stand (<see cref="Loop"/>).
/// </summary>
/// <remarks>
/// One per connection (per HTTP/2 stream slot), reused by its next request (<see cref="For"/>, <see cref="Release"/>):
/// a connection runs one request at a time, and nothing keeps a request's ProxyRequest past its end, as nothing keeps
/// its HttpContext, which Kestrel reuses the same way.
/// </remarks>
internal sealed class ProxyRequest(HttpContext context) : IBalancedRequest
{
    private static readonly object StateKey = new();

    private HttpContext _context = context;
    private Compression.ResponseCoding? _coding;
    private Pacing.PacedResponseBody? _paced;

    public HttpContext Context => _context;

    /// <summary>The compression of the answer, on a route that has it (<see cref="Compression.RouteCompressionProvider"/>); kept for the connection's next requests.</summary>
    public Compression.ResponseCoding? Coding => _coding;

    /// <summary>The attempt loop's state (<see cref="ProxyHandler"/>).</summary>
    public AttemptLoop Loop;

    /// <summary>The connection's ProxyRequest for <paramref name="context"/>, reset; a new one where the server keeps no per-connection state.</summary>
    public static ProxyRequest For(HttpContext context)
    {
        var state = context.Features.Get<IPersistentStateFeature>()?.State;
        if (state is null)
        {
            return new(context);
        }

        if (state.TryGetValue(StateKey, out var kept) && kept is ProxyRequest request)
        {
            // A request that failed before its attempts began was never released (its context is still set): reset it now.
            if (request._context is not null)
            {
                request.Reset();
            }

            request._context = context;
            return request;
        }

        var created = new ProxyRequest(context);
        state[StateKey] = created;
        return created;
    }

    /// <summary>Starts the answer's compression by <paramref name="policy"/>, for the client's headers as sent (read before the route's filters edit them).</summary>
    public void Compress(Configuration.Compression.CompressionPolicy policy) =>
        (_coding ??= new()).Start(policy, _context.Request.Headers.AcceptEncoding, _context.Request.Headers.UserAgent);

    /// <summary>The connection's paced response body (<see cref="Pacing.PacedResponseBody"/>), made on its first paced answer.</summary>
    public Pacing.PacedResponseBody PacedBody => _paced ??= new();

    /// <summary>True when the answer is to go through compression (<see cref="Compress"/> was called for this request).</summary>
    public bool Compresses => _coding?.Policy is not null;

    /// <summary>The request is over: forget it (its snapshot and pods too), ready for the connection's next request.</summary>
    public void Release()
    {
        Reset();
        _context = null!;
    }

    private void Reset()
    {
        MayHoldBack = false;
        Retry = null;
        HostBeforeRewrite = null;
        ForwardedPrefix = null;
        (SentBodyBytes, ReceivedBodyBytes) = (0, 0);
        AccessRecord = null;
        ErrorPages = null;
        OriginalTarget = null;
        _coding?.Clear();
        var tried = Loop.Tried;
        tried?.Clear();
        Loop = default;
        Loop.Tried = tried;
    }

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
    public HttpAccessRecord? AccessRecord { get; set; }

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

    public IPAddress? ClientAddress => _context.Connection.RemoteIpAddress;

    public string Path => _context.Request.Path.Value ?? "/";

    public string? Header(string name)
    {
        var values = _context.Request.Headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => values.ToString(),
        };
    }

    public string? Cookie(string name) => _context.Request.Cookies[name];

    public void SetAffinityCookie(string name, string value, AffinityCookieAttributes? attributes = null) => PendingAffinityCookie.Set(_context, name, value, attributes);
}
