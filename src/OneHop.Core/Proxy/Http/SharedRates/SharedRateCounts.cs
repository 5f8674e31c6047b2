using Microsoft.Extensions.Logging;

namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>
/// The route rate limits counted by every replica together (<c>limits.sharedRates</c>). A request is decided here,
/// without a round trip: each replica admits against the level the store gave at the last sync plus its own admissions
/// since, and every <see cref="Interval"/> adds those to the store and reads the sum back. So the limit holds across
/// replicas to within what the others admitted in one interval; a store that does not answer leaves each replica
/// counting on its own (as without a store) until it answers again.
/// </summary>
internal sealed partial class SharedRateCounts(ISharedRateStore store, string prefix, TimeSpan interval, TimeProvider time, ILogger logger) : IDisposable
{
    /// <summary>How long an empty, unused bucket is remembered.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    private readonly object _lock = new();
    private readonly List<SharedRateZone> _zones = [];
    private long _syncs;
    private long _failures;
    private int _up = -1;

    public TimeProvider Time => time;

    public TimeSpan Interval => interval;

    /// <summary>1 when the last sync was answered, 0 when it failed; -1 before the first.</summary>
    public int Up => Volatile.Read(ref _up);

    public long Syncs => Interlocked.Read(ref _syncs);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The buckets of one rate of a route limit: <paramref name="zone"/> names the limit (its Ingress), <paramref name="kind"/> the rate.</summary>
    public SharedRateZone Zone(string zone, string kind, int rate, TimeSpan per, double capacity)
    {
        var created = new SharedRateZone(this, $"{prefix}:{zone}:{kind}", rate, per, capacity);
        lock (_lock)
        {
            _zones.Add(created);
        }

        return created;
    }

    public void Remove(SharedRateZone zone)
    {
        lock (_lock)
        {
            _zones.Remove(zone);
        }
    }

    /// <summary>Syncs every <see cref="Interval"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await SyncAsync(cancellationToken);
        }
    }

    /// <summary>Adds every used bucket's admissions to the store and takes the levels it answers.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        SharedRateZone[] zones;
        lock (_lock)
        {
            zones = [.. _zones];
        }

        var taken = new List<(SharedRateBucket Bucket, int Delta)>();
        var updates = new List<SharedRateUpdate>();
        foreach (var zone in zones)
        {
            zone.Prune(Idle);
            foreach (var (key, bucket, delta) in zone.TakeForSync())
            {
                taken.Add((bucket, delta));
                updates.Add(new SharedRateUpdate(key, bucket.PerSecond, delta, TimeSpan.FromSeconds(Math.Ceiling(bucket.Capacity / bucket.PerSecond) + 1)));
            }
        }

        if (updates.Count == 0)
        {
            return;
        }

        try
        {
            var levels = await store.AddAsync(updates, cancellationToken);
            for (var i = 0; i < taken.Count; i++)
            {
                taken[i].Bucket.Synced(taken[i].Delta, levels[i]);
            }

            Interlocked.Increment(ref _syncs);
            if (Interlocked.Exchange(ref _up, 1) == 0)
            {
                LogBack(logger);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var (bucket, delta) in taken)
            {
                bucket.SyncFailed(delta);
            }

            Interlocked.Increment(ref _failures);
            if (Interlocked.Exchange(ref _up, 0) != 0)
            {
                LogFailed(logger, ex.Message);
            }
        }
    }

    public void Dispose() => store.Dispose();

    [LoggerMessage(30, LogLevel.Warning, "Shared rate limits: the store does not answer ({Reason}); each replica counts its own requests until it does")]
    private static partial void LogFailed(ILogger logger, string reason);

    [LoggerMessage(31, LogLevel.Information, "Shared rate limits: the store answers again; the replicas count together")]
    private static partial void LogBack(ILogger logger);
}
