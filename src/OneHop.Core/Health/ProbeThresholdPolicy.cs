using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OneHop.Core.Proxy.Http;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Health;

/// <summary>
/// Active health (the health-flag layer): YARP's monitor probes every endpoint of every backend that has a probe
/// from one shared scheduler; this policy turns results into health with both thresholds, so one lost probe does
/// not eject a pod and one lucky probe does not bring back a broken one. A pass is a 2xx or 3xx answer in time.
/// </summary>
internal sealed partial class ProbeThresholdPolicy(IDestinationHealthUpdater healthUpdater, SnapshotCatalog catalog, ILogger<ProbeThresholdPolicy> logger)
    : IActiveHealthCheckPolicy
{
    public const string PolicyName = "OneHopThresholds";

    private readonly ConditionalWeakTable<DestinationState, Streak> _streaks = [];

    public string Name => PolicyName;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        var probe = catalog.BackendOf(cluster)?.Policy.Probe;
        if (probe is null || probingResults.Count == 0)
        {
            return;
        }

        var changes = new List<NewActiveDestinationHealth>();
        foreach (var result in probingResults)
        {
            var passed = result.Exception is null && result.Response is { } response && (int)response.StatusCode is >= 200 and < 400;
            var streak = _streaks.GetOrCreateValue(result.Destination);
            var health = streak.Record(passed, probe.HealthyThreshold, probe.UnhealthyThreshold, result.Destination.Health.Active);
            if (health != result.Destination.Health.Active)
            {
                Log.HealthChanged(logger, result.Destination.DestinationId, cluster.ClusterId, health, result.Exception?.Message ?? (result.Response is null ? "no response" : $"HTTP {(int)result.Response.StatusCode}"));
                changes.Add(new NewActiveDestinationHealth(result.Destination, health));
            }
        }

        if (changes.Count > 0)
        {
            healthUpdater.SetActive(cluster, changes);
        }
    }

    /// <summary>Consecutive passes or failures of one endpoint's probes.</summary>
    private sealed class Streak
    {
        private int _passes;
        private int _failures;

        public DestinationHealth Record(bool passed, int healthyThreshold, int unhealthyThreshold, DestinationHealth current)
        {
            lock (this)
            {
                (_passes, _failures) = passed ? (_passes + 1, 0) : (0, _failures + 1);
                return current switch
                {
                    // Unknown (never probed) counts as healthy for routing, so it only needs failures to turn unhealthy.
                    not DestinationHealth.Unhealthy when _failures >= unhealthyThreshold => DestinationHealth.Unhealthy,
                    DestinationHealth.Unhealthy when _passes >= healthyThreshold => DestinationHealth.Healthy,
                    DestinationHealth.Unknown when passed => DestinationHealth.Healthy,
                    _ => current,
                };
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Probe: endpoint {Endpoint} of {Backend} is now {Health} ({Detail})")]
        public static partial void HealthChanged(ILogger logger, string endpoint, string backend, DestinationHealth health, string detail);
    }
}
