using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// How the caller changes a request's head on its way to the endpoint, without allocating: which inbound headers
/// to leave out (hop-by-hop ones are always left out) and which to add, written straight into the send buffer —
/// X-Forwarded-For and its family, the caller's request id. One instance serves every request of a route, from many
/// threads at once: it must keep no per-request state.
/// </summary>
internal abstract class Http1RequestShape
{
    /// <summary>Forwards the request's end-to-end headers as the client sent them and adds none.</summary>
    public static Http1RequestShape AsSent { get; } = new AsSentShape();

    /// <summary>True to leave the inbound header <paramref name="headerName"/> out (one the caller writes itself).</summary>
    public virtual bool Skips(string headerName) => false;

    /// <summary>Writes the caller's own headers after the forwarded ones.</summary>
    public virtual void WriteHeaders(ref Http1HeaderWriter writer, HttpContext context)
    {
    }

    /// <summary>
    /// True to keep an answer with this status from the client (a pod shutting down answers 502 or 503, and the caller
    /// will try another): nothing of it is sent, the response is left unstarted with the status set, the connection is
    /// not reused, and the outcome is <c>PodError</c> (<c>Success</c> below 500: a 4xx held back for an error page).
    /// </summary>
    public virtual bool HoldsBack(int status, HttpContext context) => false;

    /// <summary>
    /// True to replace, once and unseen by the caller, a reused connection the server turns out to have closed; false
    /// when the caller retries itself and must count every attempt that reached the server.
    /// </summary>
    public virtual bool ReplacesClosedConnection(HttpContext context) => true;

    /// <summary>
    /// Told once per connection the request was sent on, as that turn ends: the body bytes sent to the endpoint and
    /// received from it (decoded: without chunk framing; an upgraded connection's tunnel is not counted).
    /// </summary>
    public virtual void Relayed(HttpContext context, long sentBodyBytes, long receivedBodyBytes)
    {
    }

    private sealed class AsSentShape : Http1RequestShape
    {
    }
}
