namespace OneHop.Core.Demo;

/// <summary>
/// How a demo pod misbehaves, changeable while it runs: the tests and the benchmarks use it to play slow pods,
/// failing pods and pods whose health check fails.
/// </summary>
internal sealed class DemoPodBehavior
{
    private volatile int _healthStatus = 200;
    private volatile int _status = 200;
    private long _delayTicks;
    private double _failureRate;

    /// <summary>What <c>/healthz</c> answers.</summary>
    public int HealthStatus
    {
        get => _healthStatus;
        set => _healthStatus = value;
    }

    /// <summary>What every other request answers.</summary>
    public int Status
    {
        get => _status;
        set => _status = value;
    }

    /// <summary>Added before every answer.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    /// <summary>The share of requests answered 500 (0..1).</summary>
    public double FailureRate
    {
        get => Volatile.Read(ref _failureRate);
        set => Volatile.Write(ref _failureRate, value);
    }
}
