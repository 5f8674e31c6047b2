namespace OneHop.Core.Balancing;

/// <summary>
/// A pod's peak-EWMA latency as the picker reads it: decayed toward zero for as long as no new response has changed
/// it, with the backend's decay time. Finagle and Linkerd (tower) decay on every read for the same reason: a pod that
/// was slow once and then gets no traffic would otherwise keep its peak forever and never be tried again. The
/// estimate itself only changes on responses, so "unchanged since" is when this picker first read its value.
/// </summary>
internal sealed class DecayingLatency
{
    private readonly Lock _lock = new();
    private double _seen = double.NaN;
    private long _since;

    /// <param name="ewma">The pod's current estimate in seconds (<see cref="Health.EndpointRuntime.LatencyEwma"/>).</param>
    public double Read(double ewma, TimeProvider time, TimeSpan decay)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            // Exact comparison on purpose: any new sample changes the estimate's bits.
            if (!_seen.Equals(ewma))
            {
                (_seen, _since) = (ewma, now);
                return ewma;
            }

            var idle = time.GetElapsedTime(_since, now).TotalSeconds;
            return ewma * Math.Exp(-idle / Math.Max(decay.TotalSeconds, 1e-9));
        }
    }
}
