using System.Diagnostics.Metrics;

namespace OneHop.Core.Telemetry;

/// <summary>
/// <c>onehop_leader</c>: 1 on the replica that holds the Lease (writes Ingress status and Events), 0 on the others; no
/// series at all when replicas elect no leader (nothing to write), so "no leader anywhere" never fires for them.
/// </summary>
internal static class LeaderMetrics
{
    public static void Register(Meter meter, Func<bool>? isLeader) =>
        meter.CreateObservableGauge<int>(
            "onehop.leader",
            () => isLeader is null ? [] : [new Measurement<int>(isLeader() ? 1 : 0)],
            unit: null,
            description: "1 while this replica is the elected leader, else 0; absent when replicas elect no leader.");
}
