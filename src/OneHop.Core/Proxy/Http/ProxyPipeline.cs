using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The request path through OneHop's data plane, in order: refusals, rate limit, drain, the client's scheme from a
/// trusted proxy, TLS policy, proxying.
/// </summary>
internal static class ProxyPipeline
{
    /// <param name="schemeFromProxy">Some listener believes a trusted proxy about the client's scheme.</param>
    public static void MapOneHopProxy(this WebApplication app, bool rateLimited = false, bool schemeFromProxy = false)
    {
        // Before everything else: a refused request costs no rate-limit token, no routing and never reaches a pod.
        app.UseMiddleware<RequestGateMiddleware>();
        if (rateLimited)
        {
            app.UseRateLimiter();
        }

        app.UseMiddleware<DrainMiddleware>();
        if (schemeFromProxy)
        {
            app.UseMiddleware<ClientSchemeMiddleware>();
        }

        app.UseMiddleware<TlsPolicyMiddleware>();
        var handler = app.Services.GetRequiredService<ProxyHandler>();
        app.Run(handler.InvokeAsync);
    }
}
