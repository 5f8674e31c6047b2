using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Telemetry;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Health;

/// <summary>
/// Passive health (the health-flag layer): after every proxied attempt, counts the pod's consecutive failures (only
/// what <see cref="AttemptOutcomes.CountsAgainstPod"/> blames on it: connect failures, resets, malformed answers,
/// timeouts, 5xx — never what a client did); at the backend's threshold the pod is ejected for base × ejections
/// (capped), unless that would eject more than the backend's maximum share. EndpointSlice updates lag reality, so
/// this is what stops traffic to a pod that died before Kubernetes noticed.
/// </summary>
internal sealed partial class OutlierDetector(
    IDestinationHealthUpdater healthUpdater,
    EndpointRuntimeRegistry runtimes,
    SnapshotCatalog catalog,
    ProxyMetrics metrics,
    ILogger<OutlierDetector> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "OneHopOutlier";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var policy = catalog.BackendOf(cluster)?.Policy.Outlier ?? BackendPolicy.Default.Outlier;
        if (!policy.Enabled)
        {
            return;
        }

        var outcome = AttemptOutcomes.Of(context);
        var failed = outcome.CountsAgainstPod();
        if (!failed && outcome != AttemptOutcome.Success)
        {
            // The client went away or sent something unforwardable: that says nothing about the pod, either way.
            return;
        }

        var runtime = runtimes.For(destination);
        if (runtime.RecordOutcome(failed) < policy.ConsecutiveFailures)
        {
            return;
        }

        var all = cluster.DestinationsState.AllDestinations;
        var ejected = 0;
        foreach (var d in all)
        {
            ejected += d.Health.Passive == DestinationHealth.Unhealthy ? 1 : 0;
        }

        if (destination.Health.Passive == DestinationHealth.Unhealthy || (ejected + 1) * 100 > policy.MaxEjectionPercent * all.Count)
        {
            // At the cap: the pod keeps serving; failing over to the survivors could overload them (panic threshold).
            return;
        }

        var ejections = runtime.RecordEjection();
        var period = TimeSpan.FromTicks(Math.Min(policy.BaseEjectionTime.Ticks * ejections, policy.MaxEjectionTime.Ticks));
        Log.Ejected(logger, destination.DestinationId, cluster.ClusterId, period.TotalSeconds, ejections);
        metrics.Ejected(catalog.BackendOf(cluster)?.Name ?? cluster.ClusterId);
        healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, period);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Ejected endpoint {Endpoint} of {Backend} for {Seconds}s after consecutive failures (ejection {Count})")]
        public static partial void Ejected(ILogger logger, string endpoint, string backend, double seconds, int count);
    }
}
