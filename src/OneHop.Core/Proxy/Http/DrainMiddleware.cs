using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// While draining, asks Kestrel to close each connection gracefully once its current request is answered: HTTP/1.1
/// responses carry <c>Connection: close</c>, HTTP/2 connections get GOAWAY (streams in flight finish). Every client
/// then reconnects, through the layer in front, to a replica that is staying.
/// </summary>
internal sealed class DrainMiddleware(RequestDelegate next, DrainState drain)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (drain.IsDraining)
        {
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        }

        return next(context);
    }
}
