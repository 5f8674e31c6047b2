using Microsoft.Extensions.Logging;

namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>
/// The route rate limits counted by every replica together (<c>limits.sharedRates</c>). A request is decided here,
/// without a round trip: each replica admits against the level the store gave at the last sync plus its own admissions
/// since, and every <c>interval</c> adds those to the store and reads the sum back. So the limit holds across
/// replicas to within what the others admitted in one interval; a store that does not answer leaves each replica
/// counting on its own (as without a store) until it answers again.
/// </summary>
/// <param name="server">The store as operators know it (no password), for the logs.</param>
internal sealed partial class SharedRateCounts(ISharedRateStore store, string server, string prefix, TimeSpan interval, TimeProvider time, ILogger logger) : IDisposable
{
    /// <summary>How long an empty, unused bucket is remembered.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    /// <summary>How often forgotten buckets are looked for, and the store is asked whether it answers when nothing is synced.</summary>
    private static readonly TimeSpan Housekeeping = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly List<SharedRateZone> _zones = [];
    private long _syncs;
    private long _failures;
    private int _up = -1;
    private long _lastPrune = time.GetTimestamp();
    private long _lastContact = time.GetTimestamp();

    public TimeProvider Time => time;

    /// <summary>How often a bucket that only refuses reads the store again: ten syncs.</summary>
    public TimeSpan Refresh => interval * 10;

    /// <summary>1 when the last sync was answered, 0 when it failed; -1 before the first.</summary>
    public int Up => Volatile.Read(ref _up);

    public long Syncs => Interlocked.Read(ref _syncs);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// The buckets of one rate of a route limit: <paramref name="zone"/> names the limit (its Ingress), <paramref name="kind"/>
    /// the rate. A limiter made for a new snapshot while the old one still serves gets the same buckets when the rate
    /// is the same, so a snapshot that changes another of the route's limits hands no client a fresh burst.
    /// </summary>
    public SharedRateZone Zone(string zone, string kind, int rate, TimeSpan per, double capacity)
    {
        var name = $"{prefix}:{zone}:{kind}";
        lock (_lock)
        {
            foreach (var known in _zones)
            {
                if (known.Serves(name, rate, per, capacity))
                {
                    known.Users++;
                    return known;
                }
            }

            var created = new SharedRateZone(this, name, rate, per, capacity) { Users = 1 };
            _zones.Add(created);
            return created;
        }
    }

    /// <summary>One limiter stopped using <paramref name="zone"/>; the last one's leaving stops its syncing.</summary>
    public void Remove(SharedRateZone zone)
    {
        lock (_lock)
        {
            if (--zone.Users <= 0)
            {
                _zones.Remove(zone);
            }
        }
    }

    /// <summary>Syncs every <c>interval</c> until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, server, interval.TotalMilliseconds);
        await PingAsync(cancellationToken); // connects now, so the first limited requests find Redis there
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await SyncAsync(cancellationToken);
        }
    }

    /// <summary>Adds every used bucket's admissions to the store and takes the levels it answers, bucket by bucket.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        SharedRateZone[] zones;
        lock (_lock)
        {
            zones = [.. _zones];
        }

        var now = time.GetTimestamp();
        var prune = time.GetElapsedTime(_lastPrune, now) >= Housekeeping;
        if (prune)
        {
            _lastPrune = now;
        }

        var taken = new List<SharedRateBucket>();
        var updates = new List<SharedRateUpdate>();
        foreach (var zone in zones)
        {
            if (prune)
            {
                zone.Prune(Idle);
            }

            foreach (var (key, bucket, delta, window) in zone.TakeForSync())
            {
                taken.Add(bucket);
                updates.Add(new SharedRateUpdate(key, bucket.PerSecond, delta, window));
            }
        }

        if (updates.Count == 0)
        {
            if (time.GetElapsedTime(_lastContact, now) >= Housekeeping)
            {
                await PingAsync(cancellationToken);
            }

            return;
        }

        SharedRateAnswer[] answers;
        try
        {
            answers = await store.AddAsync(updates, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var bucket in taken)
            {
                bucket.SyncFailed();
            }

            Failed(ex.Message);
            return;
        }

        var failed = 0;
        for (var i = 0; i < taken.Count; i++)
        {
            if (answers[i].Ok)
            {
                taken[i].Synced(answers[i].Level);
            }
            else
            {
                taken[i].SyncFailed(resend: !answers[i].MayLand);
                failed++;
            }
        }

        if (failed == taken.Count)
        {
            Failed($"none of {taken.Count} updates was answered");
        }
        else
        {
            Answered();
        }
    }

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            Answered();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(ex.Message);
        }
    }

    private void Answered()
    {
        _lastContact = time.GetTimestamp();
        Interlocked.Increment(ref _syncs);
        if (Interlocked.Exchange(ref _up, 1) == 0)
        {
            LogBack(logger, server);
        }
    }

    private void Failed(string reason)
    {
        _lastContact = time.GetTimestamp();
        Interlocked.Increment(ref _failures);
        if (Interlocked.Exchange(ref _up, 0) != 0)
        {
            LogFailed(logger, server, reason);
        }
    }

    public void Dispose() => store.Dispose();

    [LoggerMessage(30, LogLevel.Warning, "Shared rate limits: Redis {Server} does not answer ({Reason}); this replica counts its own requests until it does")]
    private static partial void LogFailed(ILogger logger, string server, string reason);

    [LoggerMessage(31, LogLevel.Information, "Shared rate limits: Redis {Server} answers; the replicas count together")]
    private static partial void LogBack(ILogger logger, string server);

    [LoggerMessage(32, LogLevel.Information, "Shared rate limits: the routes' rates are counted with the other replicas in Redis {Server}, synced every {Milliseconds} ms")]
    private static partial void LogStarted(ILogger logger, string server, double milliseconds);
}
