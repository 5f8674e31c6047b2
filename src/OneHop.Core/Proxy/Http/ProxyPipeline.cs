using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Http;

/// <summary>The request path through OneHop's data plane: routing, then YARP's proxy pipeline with OneHop's steps.</summary>
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

        // Explicit order: WebApplication would otherwise append the endpoint middleware after the 404 below.
        app.UseRouting();

        // Per-route timeouts (Ingress onehop.dev/timeout, config route timeout) cover every attempt: 504 when spent.
        app.UseRequestTimeouts();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<NoEndpointsResponder>();
            proxy.UseMiddleware<RetryMiddleware>();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
            proxy.UseMiddleware<EndpointAccounting>();
        });

        app.UseEndpoints(_ => { });
        var metrics = app.Services.GetRequiredService<ProxyMetrics>();
        app.Run(context =>
        {
            metrics.NoRoute();
            return ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NoRoute, "no route for this host and path");
        });
    }
}
