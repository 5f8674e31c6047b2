using System.Diagnostics.Metrics;

namespace OneHop.Core.Telemetry.Tracing;

/// <summary>Spans exported and lost (collector unreachable or refusing), read from the exporter at each scrape.</summary>
internal static class TracingMetrics
{
    public static void Register(Meter meter, ProxyTracing tracing)
    {
        meter.CreateObservableCounter("onehop.trace.spans_exported", () => tracing.Status.ExportedSpans, "{span}", "Spans exported to the OTLP collector.");
        meter.CreateObservableCounter("onehop.trace.spans_failed", () => tracing.Status.FailedSpans, "{span}", "Spans the OTLP collector did not take (unreachable, refusing); the requests were served.");
    }
}
