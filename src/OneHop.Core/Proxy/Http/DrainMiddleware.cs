using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OneHop.Core.Control;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// While draining, answers HTTP/1.x requests with <c>Connection: close</c> so that each keep-alive client reconnects,
/// through the layer in front, to a replica that is staying. HTTP/2 clients get GOAWAY when the listeners stop.
/// </summary>
internal sealed class DrainMiddleware(RequestDelegate next, DrainState drain)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (drain.IsDraining && (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)))
        {
            context.Response.Headers[HeaderNames.Connection] = "close";
        }

        return next(context);
    }
}
