using Prometheus;

namespace OneHop.Core.Telemetry;

/// <summary>
/// What the .NET runtime does besides prometheus-net's <c>DotNetStats</c>: bytes allocated since start, so that the
/// allocation per request (the GC's workload) can be read over any interval as a rate beside request rates; the
/// benchmarks divide its increase by the requests of a run.
/// </summary>
internal static class RuntimeMetrics
{
    public static void Register(CollectorRegistry registry)
    {
        var allocated = Metrics.WithCustomRegistry(registry).CreateCounter(
            "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started (GC.GetTotalAllocatedBytes).");
        registry.AddBeforeCollectCallback(() => allocated.IncTo(GC.GetTotalAllocatedBytes(precise: false)));
    }
}
