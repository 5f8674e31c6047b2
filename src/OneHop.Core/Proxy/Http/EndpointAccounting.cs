using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Proxy pipeline step right before forwarding, once per attempt: counts the request in flight on its pod (what
/// least-connections, p2c and peak-EWMA read), times it into the pod's peak-EWMA latency, and records metrics.
/// </summary>
internal sealed class EndpointAccounting(RequestDelegate next, ProxyMetrics metrics, EndpointRuntimeRegistry runtimes, SnapshotCatalog catalog)
{
    /// <summary>The latency an attempt the pod failed counts as at least: failing fast must not make a pod look fast.</summary>
    internal static readonly TimeSpan FailurePenalty = TimeSpan.FromSeconds(1);

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
        var backend = catalog.BackendOf(feature.Route.Cluster!);
        var backendName = backend?.Name ?? cluster.ClusterId;
        var pod = catalog.EndpointOf(destination) is { } endpoint ? endpoint.Pod ?? endpoint.Id : destination.DestinationId;
        var endpointMetrics = metrics.For(feature.Route.Config.RouteId, backendName, destination, pod);
        var runtime = runtimes.For(destination);
        var time = runtimes.Time;
        var started = time.GetTimestamp();
        runtime.RequestStarted();
        endpointMetrics.InFlight.Inc();
        try
        {
            await next(context);
        }
        finally
        {
            runtime.RequestEnded();
            endpointMetrics.InFlight.Dec();
            var elapsed = time.GetElapsedTime(started);
            var outcome = AttemptOutcomes.Of(context);
            var decay = (backend?.Policy ?? BackendPolicy.Default).EwmaDecay;
            if (outcome == AttemptOutcome.Success)
            {
                runtime.ObserveLatency(elapsed.TotalSeconds, decay);
            }
            else if (outcome.CountsAgainstPod())
            {
                runtime.ObserveLatency(Math.Max(elapsed.TotalSeconds, FailurePenalty.TotalSeconds), decay);
            }

            // Anything else the client caused: how long it took says nothing about the pod.
            endpointMetrics.Observe(context.Response.StatusCode, elapsed.TotalSeconds);
        }
    }
}
