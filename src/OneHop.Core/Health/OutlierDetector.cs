using Microsoft.Extensions.Logging;

namespace OneHop.Core.Health;

/// <summary>
/// Passive health (the health-flag layer): after every attempt, counts the pod's consecutive failures — only what
/// <see cref="AttemptOutcomeMeaning.CountsAgainstPod"/> blames on it: connect failures, resets, malformed answers,
/// timeouts, 5xx, never what a client did. At the backend's threshold the pod is ejected for base × ejections
/// (capped), unless that would eject more than the backend's maximum share. EndpointSlice updates lag reality, so this
/// is what stops traffic to a pod that died before Kubernetes noticed.
/// </summary>
internal sealed partial class OutlierDetector(ProxyMetrics metrics, TimeProvider time, ILogger<OutlierDetector> logger)
{
    public void Observe(BackendState backend, Destination destination, AttemptOutcome outcome)
    {
        var policy = backend.Policy.Outlier;
        if (!policy.Enabled || outcome is AttemptOutcome.NoEndpoints)
        {
            return;
        }

        var failed = outcome.CountsAgainstPod();
        if (!failed && outcome != AttemptOutcome.Success)
        {
            // What the client did (went away, a broken body, a request that cannot be forwarded) neither counts nor
            // breaks the streak: it says nothing about the pod.
            return;
        }

        var runtime = destination.Runtime;
        if (runtime.RecordOutcome(failed) < policy.ConsecutiveFailures)
        {
            return;
        }

        var now = time.GetTimestamp();
        var all = backend.Destinations;
        var ejected = 0;
        foreach (var d in all)
        {
            ejected += d.Runtime.IsEjected(now) ? 1 : 0;
        }

        if (runtime.IsEjected(now) || (ejected + 1) * 100 > policy.MaxEjectionPercent * all.Length)
        {
            // At the cap: the pod keeps serving; failing over to the survivors could overload them (panic threshold).
            return;
        }

        var ejections = runtime.RecordEjection();
        var period = TimeSpan.FromTicks(Math.Min(policy.BaseEjectionTime.Ticks * ejections, policy.MaxEjectionTime.Ticks));
        runtime.Eject(period);
        Log.Ejected(logger, destination.Name, backend.Name, period.TotalSeconds, ejections);
        metrics.Ejected(backend.Name);
    }

    private static partial class Log
    {
        [LoggerMessage(601, LogLevel.Warning, "Ejected endpoint {Endpoint} of {Backend} for {Seconds}s after consecutive failures (ejection {Count})")]
        public static partial void Ejected(ILogger logger, string endpoint, string backend, double seconds, int count);
    }
}
