using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// One attempt of a request: where it goes, under which snapshot, whether a 502/503 may be held back for a retry, and
/// the route's own connect, read and send timeouts (null for the config's defaults).
/// </summary>
internal readonly record struct ForwardAttempt(HttpRouting Routing, BackendState Backend, Destination Destination, bool MayHoldBack, UpstreamTimeouts? Timeouts = null)
{
    /// <summary>
    /// The route replaces some answers by its error page (<see cref="ProxyRequest.ErrorPages"/>): the forwarder holds back
    /// any status, 4xx included, that the request says to; without, only 5xx are looked at, so other routes pay nothing.
    /// </summary>
    public bool ReplacesErrors { get; init; }
}
