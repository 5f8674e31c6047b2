using System.Diagnostics.Metrics;

namespace OneHop.Core.Telemetry;

/// <summary><c>onehop_leader</c>: 1 on the replica that holds the Lease (writes Ingress status and Events), 0 on the others.</summary>
internal static class LeaderMetrics
{
    public static void Register(Meter meter, Func<bool> isLeader) =>
        meter.CreateObservableGauge("onehop.leader", () => isLeader() ? 1 : 0, description: "1 while this replica is the elected leader, else 0; present only when replicas elect one.");
}
