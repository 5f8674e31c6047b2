namespace OneHop.Core.Health;

/// <summary>
/// What OneHop knows about one endpoint (pod address:port) at run time, shared by every backend that routes to it
/// and kept across snapshot swaps: requests in flight, peak-EWMA latency, when it joined (slow start), and passive
/// outlier state. Mutable and thread-safe; configuration lives in the snapshot, not here.
/// </summary>
internal sealed class EndpointRuntime
{
    private readonly TimeProvider _time;
    private readonly HealthEpoch _epoch;
    private readonly Lock _latencyLock = new();
    private int _inFlight;
    private int _latencyVersion;
    private double _ewmaSeconds;
    private long _ewmaUpdatedAt;
    private int _consecutiveFailures;
    private int _ejections;
    private int _probeHealth;
    private long _ejectedUntil;

    public EndpointRuntime(string id, TimeProvider time, HealthEpoch? epoch = null)
    {
        Id = id;
        _time = time;
        _epoch = epoch ?? new HealthEpoch();
        JoinedAt = time.GetTimestamp();
        _ewmaUpdatedAt = JoinedAt;
        Traffic = new TrafficWindow(time);
    }

    /// <summary><c>address:port</c>, the endpoint's identity.</summary>
    public string Id { get; }

    /// <summary>When the endpoint (re)joined the routing table, as a timestamp of the injected <see cref="TimeProvider"/>.</summary>
    public long JoinedAt { get; }

    /// <summary>Recent attempts, failures and latencies, for the dashboard and <c>onehop status</c>.</summary>
    public TrafficWindow Traffic { get; }

    /// <summary>Requests being proxied to this endpoint now, across all backends.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Consecutive failed requests (connect failures, resets, 5xx), reset by any success.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>How many times the outlier detector has ejected this endpoint; the ejection time grows with it.</summary>
    public int Ejections => Volatile.Read(ref _ejections);

    /// <summary>The verdict of active probes; Unknown until the thresholds give one.</summary>
    public ProbeHealth ProbeHealth => (ProbeHealth)Volatile.Read(ref _probeHealth);

    /// <summary>Until when (a timestamp of the injected time) passive health keeps the endpoint out; 0 when it is in.</summary>
    public long EjectedUntil => Volatile.Read(ref _ejectedUntil);

    /// <summary>Healthy for new requests at <paramref name="now"/>: not failing its probes and not ejected.</summary>
    public bool IsHealthy(long now) => ProbeHealth != ProbeHealth.Unhealthy && !IsEjected(now);

    public bool IsEjected(long now) => EjectedUntil is var until and > 0 && now < until;

    /// <summary>Records the probes' verdict; true (and the health epoch moves) when it changed.</summary>
    public bool SetProbeHealth(ProbeHealth health)
    {
        if (Interlocked.Exchange(ref _probeHealth, (int)health) == (int)health)
        {
            return false;
        }

        _epoch.Advance();
        return true;
    }

    /// <summary>Keeps the endpoint out of new requests for <paramref name="period"/> (passive health).</summary>
    public void Eject(TimeSpan period)
    {
        Volatile.Write(ref _ejectedUntil, _time.GetTimestamp() + (long)(period.TotalSeconds * _time.TimestampFrequency));
        _epoch.Advance();
    }

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Records a request's outcome for outlier detection; returns the consecutive-failure count after it.</summary>
    public int RecordOutcome(bool failed)
    {
        if (failed)
        {
            return Interlocked.Increment(ref _consecutiveFailures);
        }

        Interlocked.Exchange(ref _consecutiveFailures, 0);
        return 0;
    }

    /// <summary>Counts an ejection and clears the failure streak; returns how many ejections there have been.</summary>
    public int RecordEjection()
    {
        Interlocked.Exchange(ref _consecutiveFailures, 0);
        return Interlocked.Increment(ref _ejections);
    }

    /// <summary>
    /// Peak-EWMA latency in seconds as of now, false before the first response. Decayed toward zero for as long as no
    /// response has come, with <paramref name="decay"/>: Finagle and Linkerd (tower) decay on read for the same reason,
    /// a pod that was slow once and then gets no traffic would otherwise keep its peak forever and never be tried again.
    /// </summary>
    public bool TryGetLatency(TimeSpan decay, out double seconds)
    {
        var now = _time.GetTimestamp();

        // Pickers read every candidate on every request: without a lock, as a sequence lock's reader (retry while a
        // writer is between its two stores, or finished one during the read).
        double estimate;
        long updatedAt;
        int version;
        do
        {
            version = Volatile.Read(ref _latencyVersion);
            estimate = Volatile.Read(ref _ewmaSeconds);
            updatedAt = Volatile.Read(ref _ewmaUpdatedAt);
        }
        while ((version & 1) != 0 || version != Volatile.Read(ref _latencyVersion));

        if (estimate <= 0)
        {
            seconds = 0;
            return false;
        }

        var idle = _time.GetElapsedTime(updatedAt, now).TotalSeconds;
        seconds = estimate * Math.Exp(-Math.Max(0, idle) / Math.Max(decay.TotalSeconds, 1e-9));
        return true;
    }

    /// <summary>
    /// Peak EWMA (Finagle, Linkerd): a sample above the current value replaces it at once, because peaks are believed
    /// immediately; smaller samples pull it down with weight 1 - e^(-elapsed/decay).
    /// </summary>
    public void ObserveLatency(double seconds, TimeSpan decay)
    {
        var now = _time.GetTimestamp();

        // Writers of one pod (its concurrent responses) take turns; readers never wait for them.
        lock (_latencyLock)
        {
            var estimate = _ewmaSeconds;
            if (seconds > estimate)
            {
                // Also the first response (the estimate is 0 until then).
                estimate = seconds;
            }
            else
            {
                var elapsed = _time.GetElapsedTime(_ewmaUpdatedAt, now).TotalSeconds;
                var weight = Math.Exp(-Math.Max(0, elapsed) / Math.Max(decay.TotalSeconds, 1e-9));
                estimate = (estimate * weight) + (seconds * (1 - weight));
            }

            Interlocked.Increment(ref _latencyVersion);
            Volatile.Write(ref _ewmaSeconds, estimate);
            Volatile.Write(ref _ewmaUpdatedAt, now);
            Interlocked.Increment(ref _latencyVersion);
        }
    }

    /// <summary>
    /// The share of its normal traffic the endpoint should get now: ramps linearly from <paramref name="floor"/> to 1
    /// over <paramref name="window"/> after it joined (Envoy's slow start, aggression 1). 1 when slow start is off.
    /// </summary>
    public double SlowStartFactor(TimeSpan window, double floor = 0.1)
    {
        if (window <= TimeSpan.Zero)
        {
            return 1;
        }

        var age = _time.GetElapsedTime(JoinedAt).TotalSeconds;
        return age >= window.TotalSeconds ? 1 : Math.Max(floor, age / window.TotalSeconds);
    }
}
