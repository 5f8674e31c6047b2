namespace OneHop.Core.Health;

/// <summary>
/// What became of one attempt to forward a request (or a connection) to an endpoint. Each forwarder classifies its
/// attempts once, and accounting, passive health and retries read that one verdict alike, so that "a failure"
/// means the same thing everywhere: only what the endpoint did counts against it, never what the client did.
/// </summary>
internal enum AttemptOutcome
{
    /// <summary>The endpoint answered with a status below 500.</summary>
    Success,

    /// <summary>The endpoint answered 5xx.</summary>
    PodError,

    /// <summary>The connection was refused, or the endpoint's address is unreachable: nothing was sent.</summary>
    ConnectRefused,

    /// <summary>Connecting took longer than <c>defaults.connectTimeout</c>: nothing was sent.</summary>
    ConnectTimeout,

    /// <summary>The TLS handshake with the endpoint failed: nothing was sent.</summary>
    TlsFailure,

    /// <summary>The endpoint closed or reset the connection before or while answering.</summary>
    UpstreamReset,

    /// <summary>The endpoint's answer was not valid HTTP (status line, headers, framing, chunks).</summary>
    BadUpstreamResponse,

    /// <summary>The endpoint fell silent for longer than <c>defaults.requestTimeout</c>, or the route's timeout ran out.</summary>
    Timeout,

    /// <summary>The client went away, or stopped reading the answer.</summary>
    ClientAbort,

    /// <summary>The client's request body was malformed or cut short.</summary>
    BadRequestBody,

    /// <summary>The request could not be written to the endpoint as the client sent it; nothing reached the endpoint.</summary>
    Unforwardable,

    /// <summary>
    /// An exchange under way (a response body, an upgraded connection) moved no byte for <c>defaults.requestTimeout</c>
    /// and was cut: a pod that stopped sending and a client that stopped reading look the same, so it counts for no one.
    /// </summary>
    Stalled,

    /// <summary>No endpoint was available to try.</summary>
    NoEndpoints,
}
