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

    public int Calls { get; private set; }

    public double Level(string key) => _buckets.TryGetValue(key, out var b) ? b.Level : 0;

    public Task<double[]> AddAsync(IReadOnlyList<SharedRateUpdate> updates, CancellationToken cancellationToken)
    {
        Calls++;
        if (Down)
        {
            return Task.FromException<double[]>(new InvalidOperationException("store down"));
        }

        var now = time.GetTimestamp();
        var levels = new double[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var (level, at) = _buckets.GetValueOrDefault(updates[i].Key, (0, now));
            level = Math.Max(0, level - (time.GetElapsedTime(at, now).TotalSeconds * updates[i].PerSecond)) + updates[i].Delta;
            _buckets[updates[i].Key] = (level, now);
            levels[i] = level;
        }

        return Task.FromResult(levels);
    }

    public void Dispose()
    {
    }
}
