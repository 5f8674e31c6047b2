using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace OneHop.Core.Proxy.Http;

/// <summary>The request path through OneHop's data plane, in order: refusals, rate limit, drain, TLS policy, proxying.</summary>
internal static class ProxyPipeline
{
    public static void MapOneHopProxy(this WebApplication app, bool rateLimited = false)
    {
        // Before everything else: a refused request costs no rate-limit token, no routing and never reaches a pod.
        app.UseMiddleware<RequestGateMiddleware>();
        if (rateLimited)
        {
            app.UseRateLimiter();
        }

        app.UseMiddleware<DrainMiddleware>();
        app.UseMiddleware<TlsPolicyMiddleware>();
        var handler = app.Services.GetRequiredService<ProxyHandler>();
        app.Run(handler.InvokeAsync);
    }
}
