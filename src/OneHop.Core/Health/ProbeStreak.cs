namespace OneHop.Core.Health;

/// <summary>
/// Consecutive passes or failures of one endpoint's probes, turned into a verdict with both thresholds, so one lost
/// probe does not eject a pod and one lucky probe does not bring back a broken one.
/// </summary>
internal sealed class ProbeStreak
{
    private readonly Lock _lock = new();
    private int _passes;
    private int _failures;

    /// <summary>The verdict after this probe, given the one before it.</summary>
    public ProbeHealth Record(bool passed, int healthyThreshold, int unhealthyThreshold, ProbeHealth current)
    {
        lock (_lock)
        {
            (_passes, _failures) = passed ? (_passes + 1, 0) : (0, _failures + 1);
            return current switch
            {
                // Unknown (never probed) counts as healthy for routing, so it only needs failures to turn unhealthy.
                not ProbeHealth.Unhealthy when _failures >= unhealthyThreshold => ProbeHealth.Unhealthy,
                ProbeHealth.Unhealthy when _passes >= healthyThreshold => ProbeHealth.Healthy,
                ProbeHealth.Unknown when passed => ProbeHealth.Healthy,
                _ => current,
            };
        }
    }
}
