using Microsoft.AspNetCore.Http;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Http;

/// <summary>Proxy pipeline step after load balancing: counts, times and tracks in flight each request per pod.</summary>
internal sealed class RequestMetricsRecorder(RequestDelegate next, ProxyMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var destinations = feature.AvailableDestinations;
        if (destinations.Count != 1)
        {
            await next(context);
            return;
        }

        var destination = destinations[0];
        var cluster = feature.Cluster.Config;
        var backend = cluster.Metadata?.GetValueOrDefault(ProxyMetadata.BackendName) ?? cluster.ClusterId;
        var pod = destination.Model.Config.Metadata?.GetValueOrDefault(ProxyMetadata.Pod) ?? destination.DestinationId;
        var endpoint = metrics.For(feature.Route.Config.RouteId, backend, destination, pod);
        var started = time.GetTimestamp();
        endpoint.InFlight.Inc();
        try
        {
            await next(context);
        }
        finally
        {
            endpoint.InFlight.Dec();
            endpoint.Observe(context.Response.StatusCode, time.GetElapsedTime(started).TotalSeconds);
        }
    }
}
