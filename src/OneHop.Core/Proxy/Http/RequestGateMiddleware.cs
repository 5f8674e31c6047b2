using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

using OneHop.Core.Proxy.Http1;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// First step of the data plane: refuses what OneHop will not forward, before routing, before any pod is chosen and
/// so before anything can count against one. What Kestrel itself refuses (obs-fold, NUL, two Content-Lengths, a
/// final coding other than chunked, ...) never gets here; this adds what Kestrel lets through.
/// <list type="bullet">
/// <item>CONNECT: 501, OneHop opens no tunnels (HTTP/2 extended CONNECT, WebSockets over HTTP/2, is not CONNECT).</item>
/// <item>Framing a proxy cannot trust (RFC 9112 §6.1): Transfer-Encoding with Content-Length or in HTTP/1.0 is 400,
/// any Transfer-Encoding but a single <c>chunked</c> is 501, as nginx answers.</item>
/// <item>A Host that is not a name, an IPv4 or a bracketed IPv6 address with a port up to 65535: 400.</item>
/// <item>A path with an invalid percent escape, or one that climbs above the root: 400, as nginx answers.</item>
/// </list>
/// Every refusal closes an HTTP/1 connection after its answer: after a malformed request nothing else on it is trusted.
/// </summary>
internal sealed class RequestGateMiddleware(RequestDelegate next)
{
    /// <summary>Where Kestrel puts a Content-Length it removed because Transfer-Encoding came with it (Http1MessageBody.For).</summary>
    private const string RemovedContentLength = "X-Content-Length";

    private const string Chunked = "chunked";

    public Task InvokeAsync(HttpContext context)
    {
        ConnectionItems.Attach(context);
        return Check(context) is { } refusal
            ? ErrorResponses.WriteAsync(context, refusal.Status, refusal.Code, refusal.Reason, closeConnection: true)
            : next(context);
    }

    private static RequestRefusal? Check(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsConnect(request.Method) && context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect != true)
        {
            return new(StatusCodes.Status501NotImplemented, ErrorCodes.MethodNotSupported, "CONNECT is not supported: OneHop opens no tunnels");
        }

        var codings = request.Headers.TransferEncoding;
        if (codings.Count > 0)
        {
            if (HttpProtocol.IsHttp10(request.Protocol))
            {
                return new(StatusCodes.Status400BadRequest, ErrorCodes.BadFraming, "Transfer-Encoding in an HTTP/1.0 request");
            }

            if (request.Headers.ContainsKey(RemovedContentLength))
            {
                return new(StatusCodes.Status400BadRequest, ErrorCodes.BadFraming, "Content-Length and Transfer-Encoding together");
            }

            if (codings.Count != 1 || !codings[0].AsSpan().Trim().Equals(Chunked, StringComparison.OrdinalIgnoreCase))
            {
                return new(StatusCodes.Status501NotImplemented, ErrorCodes.BadFraming, "a Transfer-Encoding other than a single chunked");
            }
        }

        if (!HostSyntax.IsValid(request.Host.Value))
        {
            return new(StatusCodes.Status400BadRequest, ErrorCodes.BadHost, "the Host header is not a valid host name or address with a port up to 65535");
        }

        if (RawTargets.Problem(RawTargets.PathAndQuery(context.Features.Get<IHttpRequestFeature>()?.RawTarget)) is { } problem)
        {
            return new(StatusCodes.Status400BadRequest, ErrorCodes.BadPath, problem);
        }

        return null;
    }
}
