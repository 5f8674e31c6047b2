using Prometheus;

namespace OneHop.Core.Telemetry.Tracing;

/// <summary>Spans exported and lost (collector unreachable or refusing), read from the exporter at each scrape.</summary>
internal static class TracingMetrics
{
    public static void Register(CollectorRegistry registry, ProxyTracing tracing)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var exported = factory.CreateCounter("onehop_trace_spans_exported_total", "Spans exported to the OTLP collector.");
        var failed = factory.CreateCounter("onehop_trace_spans_failed_total", "Spans the OTLP collector did not take (unreachable, refusing); the requests were served.");
        registry.AddBeforeCollectCallback(() =>
        {
            var status = tracing.Status;
            exported.IncTo(status.ExportedSpans);
            failed.IncTo(status.FailedSpans);
        });
    }
}
