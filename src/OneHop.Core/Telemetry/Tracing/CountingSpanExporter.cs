using System.Diagnostics;
using OpenTelemetry;

namespace OneHop.Core.Telemetry.Tracing;

/// <summary>
/// Wraps the OTLP exporter to count what it exported and what it could not (the collector unreachable or refusing):
/// export runs on the batch processor's own thread, so a failing collector costs requests nothing, and this makes it
/// visible in /api/status and /metrics instead of only in the SDK's self-diagnostics.
/// </summary>
internal sealed class CountingSpanExporter(BaseExporter<Activity> inner, TimeProvider time) : BaseExporter<Activity>
{
    private long _exported;
    private long _failed;
    private long _lastFailureTicks;

    public long Exported => Interlocked.Read(ref _exported);

    public long Failed => Interlocked.Read(ref _failed);

    public DateTimeOffset? LastFailureAt => Interlocked.Read(ref _lastFailureTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public override ExportResult Export(in Batch<Activity> batch)
    {
        var result = inner.Export(batch);
        if (result == ExportResult.Success)
        {
            Interlocked.Add(ref _exported, batch.Count);
        }
        else
        {
            Interlocked.Add(ref _failed, batch.Count);
            Interlocked.Exchange(ref _lastFailureTicks, time.GetUtcNow().UtcTicks);
        }

        return result;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) => inner.ForceFlush(timeoutMilliseconds);

    protected override bool OnShutdown(int timeoutMilliseconds) => inner.Shutdown(timeoutMilliseconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
