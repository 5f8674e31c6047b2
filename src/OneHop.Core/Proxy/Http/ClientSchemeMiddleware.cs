using Microsoft.AspNetCore.Http;
using OneHop.Core.Proxy.Connections;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// On connections from a trusted proxy that terminated TLS in front (<see cref="TrustedSchemeHeader"/>), the request's
/// scheme becomes the client's, as the proxy's header says: redirects, HSTS, X-Forwarded-Proto and Forwarded then
/// follow what the client really used. Anyone else's header changes nothing. Only in the pipeline when some listener
/// is configured to believe one.
/// </summary>
internal sealed class ClientSchemeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<TrustedSchemeHeader>() is { } trusted
            && ForwardedScheme.Read(context.Request.Headers, trusted.Source) is { } scheme)
        {
            context.Features.Set(new ConnectionScheme(context.Request.Scheme));
            context.Request.Scheme = scheme;
        }

        return next(context);
    }
}
