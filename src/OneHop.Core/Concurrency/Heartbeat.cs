namespace OneHop.Core.Concurrency;

/// <summary>
/// One timer for the data plane's periodic work (Kestrel's heartbeat is the model): every tick it calls each
/// registered piece of work, which decides for itself whether it is due. One thread wakes up ten times a second
/// instead of a timer per endpoint, probe and cache.
/// </summary>
internal sealed class Heartbeat(TimeProvider time, TimeSpan? period = null)
{
    private readonly List<Action<long>> _work = [];
    private readonly Lock _lock = new();

    public TimeSpan Period { get; } = period ?? TimeSpan.FromMilliseconds(100);

    public TimeProvider Time => time;

    /// <summary>Adds work called on every tick with the current timestamp; it must be quick and must not throw.</summary>
    public void Register(Action<long> work)
    {
        lock (_lock)
        {
            _work.Add(work);
        }
    }

    /// <summary>Adds work called at most once per <paramref name="interval"/>.</summary>
    public void RegisterEvery(TimeSpan interval, Action work)
    {
        var ticks = (long)(interval.TotalSeconds * time.TimestampFrequency);
        var due = 0L;
        Register(now =>
        {
            if (now >= due)
            {
                due = now + ticks;
                work();
            }
        });
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Tick();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs every piece of work once now.</summary>
    public void Tick()
    {
        Action<long>[] work;
        lock (_lock)
        {
            work = [.. _work];
        }

        var now = time.GetTimestamp();
        foreach (var w in work)
        {
            w(now);
        }
    }
}
