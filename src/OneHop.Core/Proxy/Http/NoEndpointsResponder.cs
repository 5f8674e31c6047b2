using Microsoft.AspNetCore.Http;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// First step of the proxy pipeline: a backend with no usable endpoint answers 503 with a short body naming the
/// service (or the configuration problem), instead of YARP's empty 503.
/// </summary>
internal sealed class NoEndpointsResponder(RequestDelegate next, ProxyMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        if (feature.AvailableDestinations.Count > 0)
        {
            return next(context);
        }

        var metadata = feature.Cluster.Config.Metadata;
        var backend = metadata?.GetValueOrDefault(ProxyMetadata.BackendName) ?? feature.Cluster.Config.ClusterId;
        var problem = metadata?.GetValueOrDefault(ProxyMetadata.Problem);
        metrics.NoEndpoints(backend);
        return ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.NoEndpoints, problem ?? $"no ready endpoints for {backend}");
    }
}
