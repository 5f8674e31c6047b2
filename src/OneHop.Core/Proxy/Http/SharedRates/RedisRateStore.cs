using System.Globalization;
using StackExchange.Redis;

namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>
/// The shared rates in Redis (StackExchange.Redis): one hash per bucket, level and time, drained and added to by a
/// script that reads Redis's own clock, so replicas whose clocks differ still agree. One batch per sync, whatever the
/// number of buckets; the connection reconnects by itself and is made on the first sync, so OneHop starts without it.
/// </summary>
internal sealed class RedisRateStore(string configuration) : ISharedRateStore
{
    // KEYS[1] the bucket; ARGV: drain a second, admissions to add, expiry in ms. Returns the level as a string (Lua
    // numbers come back truncated to integers otherwise).
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local v = redis.call('HMGET', KEYS[1], 'l', 't')
        local level = tonumber(v[1]) or 0
        local at = tonumber(v[2]) or now
        level = math.max(0, level - math.max(0, now - at) * tonumber(ARGV[1]) / 1000) + tonumber(ARGV[2])
        if tonumber(ARGV[2]) > 0 or v[1] then
          redis.call('HSET', KEYS[1], 'l', tostring(level), 't', tostring(now))
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        return tostring(level)
        """;

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _redis;

    public async Task<double[]> AddAsync(IReadOnlyList<SharedRateUpdate> updates, CancellationToken cancellationToken)
    {
        var database = (await ConnectAsync(cancellationToken)).GetDatabase();
        var batch = database.CreateBatch();
        var answers = new Task<RedisResult>[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            answers[i] = batch.ScriptEvaluateAsync(
                Script,
                [update.Key],
                [update.PerSecond.ToString("R", CultureInfo.InvariantCulture), update.Delta, (long)update.Expiry.TotalMilliseconds]);
        }

        batch.Execute();
        await Task.WhenAll(answers).WaitAsync(cancellationToken);
        var levels = new double[answers.Length];
        for (var i = 0; i < answers.Length; i++)
        {
            levels[i] = double.Parse((string)answers[i].Result!, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return levels;
    }

    public void Dispose()
    {
        _redis?.Dispose();
        _connecting.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _redis) is { } known)
        {
            return known;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_redis is null)
            {
                var options = ConfigurationOptions.Parse(configuration);
                options.AbortOnConnectFail = false; // keeps reconnecting in the background once made
                options.BacklogPolicy = BacklogPolicy.FailFast; // while it is away a sync fails at once: local counting
                options.ClientName ??= "onehop";
                _redis = await ConnectionMultiplexer.ConnectAsync(options);
            }

            return _redis;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
