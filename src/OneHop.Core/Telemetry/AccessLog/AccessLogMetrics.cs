using System.Diagnostics.Metrics;

namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>The access log's lines written, dropped (queue full) and lost (output failed), read from the writer at each scrape.</summary>
internal static class AccessLogMetrics
{
    public static void Register(Meter meter, AccessLogWriter writer)
    {
        meter.CreateObservableCounter("onehop.access_log.lines", () => writer.Written, "{line}", "Access log lines written.");
        meter.CreateObservableCounter("onehop.access_log.dropped", () => writer.Dropped, "{line}", "Access log lines dropped because the queue was full (the output could not keep up); the request was served.");
        meter.CreateObservableCounter("onehop.access_log.failed", () => writer.Failed, "{line}", "Access log lines lost because the output failed (full disk, unwritable file); the request was served.");
    }
}
