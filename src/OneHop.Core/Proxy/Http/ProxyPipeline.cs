using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OneHop.Core.Proxy.Http.AccessLog;
using OneHop.Core.Proxy.Http.Tracing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The request path through OneHop's data plane, in order: the client address from trusted proxies, tracing and the access log (when on), refusals, rate limit, drain, the client's scheme from a
/// trusted proxy, TLS policy, proxying.
/// </summary>
internal static class ProxyPipeline
{
    /// <param name="schemeFromProxy">Some listener believes a trusted proxy about the client's scheme.</param>
    public static void MapOneHopProxy(this WebApplication app, bool rateLimited = false, bool schemeFromProxy = false)
    {
        // First of all: who the client is, which everything after reports or decides by.
        app.UseMiddleware<ClientAddressMiddleware>();

        // Then, when on: the request's span, so that the access log below sees its trace id.
        if (app.Services.GetRequiredService<HttpTracing>().Enabled)
        {
            app.UseMiddleware<TracingMiddleware>();
        }

        // After it, when on: the access log sees every request, refused ones too, and times the whole of it.
        if (app.Services.GetRequiredService<HttpAccessLog>().Enabled)
        {
            app.UseMiddleware<AccessLogMiddleware>();
        }

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
