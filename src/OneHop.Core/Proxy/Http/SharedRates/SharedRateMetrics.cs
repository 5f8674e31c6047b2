using System.Diagnostics.Metrics;

namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>Whether the replicas count their rates together now, observed at scrape time (nothing per request).</summary>
internal static class SharedRateMetrics
{
    public static void Register(Meter meter, SharedRateCounts counts)
    {
        meter.CreateObservableGauge(
            "onehop.shared_rates.store_up",
            () => counts.Up < 0 ? [] : new[] { new Measurement<int>(counts.Up) },
            description: "1 when the last sync of the shared rate limits with their store (limits.sharedRates) was answered, 0 when it failed and each replica counts on its own.");
        meter.CreateObservableCounter(
            "onehop.shared_rates.syncs",
            () => new[] { new Measurement<long>(counts.Syncs, new KeyValuePair<string, object?>("result", "ok")), new Measurement<long>(counts.Failures, new KeyValuePair<string, object?>("result", "failed")) },
            "{sync}",
            "Syncs of the shared rate limits with their store, by result (ok, failed).");
    }
}
