using Prometheus;

namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>The access log's lines written, dropped (queue full) and lost (output failed), read from the writer at each scrape.</summary>
internal static class AccessLogMetrics
{
    public static void Register(CollectorRegistry registry, AccessLogWriter writer)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var written = factory.CreateCounter("onehop_access_log_lines_total", "Access log lines written.");
        var dropped = factory.CreateCounter("onehop_access_log_dropped_total", "Access log lines dropped because the queue was full (the output could not keep up); the request was served.");
        var failed = factory.CreateCounter("onehop_access_log_failed_total", "Access log lines lost because the output failed (full disk, unwritable file); the request was served.");
        registry.AddBeforeCollectCallback(() =>
        {
            written.IncTo(writer.Written);
            dropped.IncTo(writer.Dropped);
            failed.IncTo(writer.Failed);
        });
    }
}
