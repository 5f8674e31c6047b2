using OneHop.Core.Proxy.Http.SharedRates;

namespace OneHop.Core.Tests.Proxy.Http.SharedRates;

/// <summary>
/// The shared store's contract in memory, on the test's clock: a bucket's level drains at its rate and grows by what is
/// added. <see cref="Down"/> makes every sync fail, as an unreachable Redis does.
/// </summary>
internal sealed class MemoryRateStore(TimeProvider time) : ISharedRateStore
{
    private readonly Dictionary<string, (double Level, long At)> _buckets = [];

    public bool Down { get; set; }

    /// <summary>Keys whose updates fail while the others are answered (a shard down, a key of another type).</summary>
    public HashSet<string> Failing { get; } = [];

    public int Pings { get; private set; }

    public int Calls { get; private set; }

    public double Level(string key) => _buckets.TryGetValue(key, out var b) ? b.Level : 0;

    public Task<SharedRateAnswer[]> AddAsync(IReadOnlyList<SharedRateUpdate> updates, CancellationToken cancellationToken)
    {
        Calls++;
        if (Down)
        {
            return Task.FromException<SharedRateAnswer[]>(new InvalidOperationException("store down"));
        }

        var now = time.GetTimestamp();
        var answers = new SharedRateAnswer[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            if (Failing.Contains(updates[i].Key))
            {
                answers[i] = SharedRateAnswer.Failed;
                continue;
            }

            // As the script: what was there drains until the window began, then with the admissions over the window.
            var update = updates[i];
            var (level, at) = _buckets.TryGetValue(update.Key, out var known) ? known : (0, now - (long)(update.Window.TotalSeconds * time.TimestampFrequency));
            var dt = time.GetElapsedTime(at, now).TotalSeconds;
            var window = update.Window.TotalSeconds;
            level = Math.Max(0, level - (Math.Max(0, dt - window) * update.PerSecond));
            level = Math.Max(0, level + update.Delta - (Math.Min(dt, window) * update.PerSecond));
            _buckets[updates[i].Key] = (level, now);
            answers[i] = new SharedRateAnswer(true, level);
        }

        return Task.FromResult(answers);
    }

    public Task PingAsync(CancellationToken cancellationToken)
    {
        Pings++;
        return Down ? Task.FromException(new InvalidOperationException("store down")) : Task.CompletedTask;
    }

    public void Dispose()
    {
    }
}
