namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The values of the <c>X-OneHop-Error</c> header on every answer OneHop makes up itself, so that a client, a log or
/// an operator tells OneHop's own errors from a pod's and knows the cause without reading the body.
/// </summary>
internal static class ErrorCodes
{
    public const string Header = "X-OneHop-Error";

    public const string NoRoute = "no-route";

    /// <summary>An HTTPS request whose Host selects another Gateway listener than its TLS server name did: 421.</summary>
    public const string Misdirected = "misdirected";

    // Gateway errors: the endpoint could not give an answer.
    public const string NoEndpoints = "no-endpoints";

    /// <summary>A Gateway API rule whose backend (or this request's weighted share of it) does not resolve: 500, as the spec says.</summary>
    public const string NoBackend = "no-backend";

    /// <summary>Every endpoint of a capped backend carries its maximum and its queue is full (or has size 0): 503.</summary>
    public const string EndpointsFull = "endpoints-full";

    /// <summary>A capped backend's queue gave the request no slot within its queue timeout: 503.</summary>
    public const string QueueTimeout = "queue-timeout";
    public const string ConnectRefused = "connect-refused";
    public const string ConnectTimeout = "connect-timeout";
    public const string UpstreamTls = "upstream-tls";
    public const string UpstreamReset = "upstream-reset";
    public const string BadUpstreamResponse = "bad-upstream-response";
    public const string Timeout = "timeout";
    public const string UpstreamStatus = "upstream-status";

    // Refusals: the request is not forwarded as sent.
    public const string BadFraming = "bad-framing";
    public const string BadHost = "bad-host";
    public const string BadPath = "bad-path";
    public const string MethodNotSupported = "method-not-supported";
    public const string BadRequestBody = "bad-request-body";
    public const string Unforwardable = "unforwardable-request";

    /// <summary>The client's address is denied by the route, or not in its allow list: 403.</summary>
    public const string SourceDenied = "source-denied";

    /// <summary>The request's User-Agent or Referer is on the route's block list (ingress-nginx's block-user-agents, block-referers): 403.</summary>
    public const string Blocked = "blocked";

    /// <summary>The route asks for a user and password the request did not carry, or its authentication service answered 401: 401 with WWW-Authenticate.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The route's users could not be read (its Secret is missing or unusable): 503, as nginx denies the location.</summary>
    public const string AuthUnavailable = "auth-unavailable";

    /// <summary>The route's authentication service (ingress-nginx's auth-url) answered 403.</summary>
    public const string AuthForbidden = "auth-forbidden";

    /// <summary>The route's authentication service could not be asked, or answered other than 2xx, 401 or 403: 500, as nginx's auth_request.</summary>
    public const string AuthFailed = "auth-failed";

    /// <summary>The client address is over the route's request rate or requests in progress (ingress-nginx's limit-*): 503, nginx's default.</summary>
    public const string RateLimited = "rate-limited";

    // The admin listener.
    public const string AdminHost = "admin-host";
}
