using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace OneHop.Core.Proxy.Http.SharedRates;

/// <summary>
/// The shared rates in Redis (StackExchange.Redis): one hash per bucket, level and time, drained and added to by a
/// script that reads Redis's own clock, so replicas whose clocks differ still agree. One pipelined round per sync,
/// whatever the number of buckets. The connection is made in the background and reconnects by itself; until it is
/// up, and whenever Redis does not answer within <see cref="_timeout"/>, a sync fails at once and the replicas count
/// alone, so a slow or absent Redis never holds requests back.
/// </summary>
internal sealed class RedisRateStore : ISharedRateStore
{
    // KEYS[1] the bucket; ARGV: drain a second, admissions to add, the time they were admitted over (ms), and the time
    // on Redis's clock (ms; 0 for none) after which the update is dropped: the sync that sent it has given up by then and
    // sends it again later, so an update that reaches Redis late (a pause) neither lands twice nor all at once. The level
    // drains once, at the rate, whoever adds to it: what was there drains until the window began, then with the
    // admissions over the window (a missing key was empty then). The key lives until its level would have drained.
    // Returns "level now" (Lua numbers come back truncated to integers otherwise). HSET with two fields needs Redis 4;
    // replicate_commands lets Redis 4 write after TIME (the default from 5 on).
    private const string Script = """
        redis.replicate_commands()
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rate = tonumber(ARGV[1])
        local delta = tonumber(ARGV[2])
        local window = tonumber(ARGV[3])
        local deadline = tonumber(ARGV[4])
        if deadline > 0 and now > deadline then
          return 'late ' .. now
        end
        local v = redis.call('HMGET', KEYS[1], 'l', 't')
        local level = tonumber(v[1]) or 0
        local at = tonumber(v[2]) or (now - window)
        local dt = math.max(0, now - at)
        level = math.max(0, level - math.max(0, dt - window) * rate / 1000)
        level = math.min(1e12, math.max(0, level + delta - math.min(dt, window) * rate / 1000))
        if delta > 0 or v[1] then
          redis.call('HSET', KEYS[1], 'l', string.format('%.6f', level), 't', tostring(now))
          redis.call('PEXPIRE', KEYS[1], math.ceil(level * 1000 / rate) + 1000)
        end
        return string.format('%.6f', level) .. ' ' .. now
        """;

    private readonly ConfigurationOptions _options;
    private readonly TimeSpan _timeout;
    private readonly Lock _lock = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private byte[]? _hash;

    // Redis's clock minus this process's monotonic one, in ms, learnt from the script's answers; null before the first.
    private long? _clockOffset;

    /// <param name="timeout">How long a sync may wait for Redis before the replicas count alone.</param>
    /// <param name="password">Redis's password when it is kept apart from <paramref name="configuration"/> (a Secret's file).</param>
    public RedisRateStore(string configuration, TimeSpan timeout, string? password = null)
    {
        _options = ConfigurationOptions.Parse(configuration);
        if (password is not null)
        {
            _options.Password = password;
        }

        _options.AbortOnConnectFail = false; // keeps reconnecting in the background once made
        _options.BacklogPolicy = BacklogPolicy.FailFast; // while it is away a call fails at once: local counting
        _options.ClientName ??= "onehop";
        _timeout = timeout;
    }

    public async Task<SharedRateAnswer[]> AddAsync(IReadOnlyList<SharedRateUpdate> updates, CancellationToken cancellationToken)
    {
        var database = Connected().GetDatabase();
        var hash = _hash ??= await LoadAsync(cancellationToken);

        // Pipelined: the multiplexer writes every call before the first answer comes back. Not a batch, whose calls
        // retried after NOSCRIPT would never be sent; by hash, so a flushed script is reloaded at the next sync.
        // A quarter of the timeout on Redis's clock: an update run before it answers before the sync gives up on it (short of a
        // network that holds answers back that long), and one run after it is dropped, so none counts twice.
        var deadline = _clockOffset is { } offset ? LocalMilliseconds() + offset + ((long)_timeout.TotalMilliseconds / 4) : 0;
        var answers = new Task<RedisResult>[updates.Count];
        var received = new Task<long>[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            answers[i] = database.ScriptEvaluateAsync(hash, [update.Key], [update.PerSecond.ToString("R", CultureInfo.InvariantCulture), update.Delta, (long)update.Window.TotalMilliseconds, deadline]);

            // When each answer came (Redis's clock against ours), and a fault nobody waits for any more is observed.
            received[i] = answers[i].ContinueWith(
                static t =>
                {
                    _ = t.Exception;
                    return t.IsCompletedSuccessfully ? LocalMilliseconds() : 0;
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        try
        {
            await Task.WhenAll(answers).WaitAsync(_timeout, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Each answer on its own below: the calls that went through count, the others fail.
        }

        var results = new SharedRateAnswer[answers.Length];
        long? offsetSeen = null;
        for (var i = 0; i < answers.Length; i++)
        {
            (results[i], var redisNow) = Answer(answers[i], deadline > 0);
            if (redisNow > 0)
            {
                // Each sample is Redis's time a little before the answer came: a lower bound of the offset. The highest
                // wins. The answer is in, so its continuation has run or is running now (it does not wait for anything).
                var sample = redisNow - await received[i];
                offsetSeen = offsetSeen is { } seen ? Math.Max(seen, sample) : sample;
            }
        }

        if (offsetSeen is { } learnt)
        {
            _clockOffset = learnt;
        }

        return results;
    }

    /// <summary>Waits for the connection (up to the timeout) and for Redis's answer.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var connecting = Connecting();
        var started = Stopwatch.GetTimestamp();
        await connecting.WaitAsync(_timeout, cancellationToken);
        var left = _timeout - Stopwatch.GetElapsedTime(started);

        // Redis's TIME rather than PING: the same round trip, and it teaches the clock offset before the first update,
        // so even the first syncs carry a deadline.
        var server = Connected().GetServers().FirstOrDefault(s => s.IsConnected) ?? throw new InvalidOperationException("no server connected");
        var time = await server.TimeAsync().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken);
        var sample = new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds() - LocalMilliseconds();
        _clockOffset = sample;
    }

    public void Dispose()
    {
        if (_connecting is { IsCompletedSuccessfully: true } connected)
        {
            connected.Result.Dispose();
        }
        else
        {
            _connecting?.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    private static long LocalMilliseconds() => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;

    /// <summary>A bucket's answer and Redis's time in it (0 without one).</summary>
    private (SharedRateAnswer Answer, long RedisNow) Answer(Task<RedisResult> answer, bool bounded)
    {
        if (!answer.IsCompleted || answer.Exception?.InnerException is RedisTimeoutException)
        {
            // Redis may still run it: dropped there when it has a deadline (and sent again), else it may land.
            return (bounded ? SharedRateAnswer.Failed : SharedRateAnswer.TimedOut, 0);
        }

        if (!answer.IsCompletedSuccessfully)
        {
            if (answer.Exception?.InnerException is RedisServerException server && server.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
            {
                _hash = null;
            }

            return (SharedRateAnswer.Failed, 0);
        }

        // "level now", or "late now" for an update past its deadline.
        var text = ((string?)answer.Result ?? string.Empty).AsSpan();
        var space = text.IndexOf(' ');
        if (space < 0 || !long.TryParse(text[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var now))
        {
            return (SharedRateAnswer.Failed, 0);
        }

        return (double.TryParse(text[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out var level) && double.IsFinite(level)
            ? new SharedRateAnswer(true, level)
            : SharedRateAnswer.Failed, now);
    }

    /// <summary>The connection once made; until then a sync fails at once (the first one starts making it).</summary>
    private ConnectionMultiplexer Connected()
    {
        var connecting = Connecting();
        return connecting.IsCompletedSuccessfully ? connecting.Result : throw new InvalidOperationException("not connected yet");
    }

    /// <summary>The connection being made, or made; one that failed is given up so the next call makes it again.</summary>
    private Task<ConnectionMultiplexer> Connecting()
    {
        lock (_lock)
        {
            var connecting = _connecting ??= ConnectionMultiplexer.ConnectAsync(_options);
            if (connecting.IsFaulted)
            {
                _connecting = null;
            }

            return connecting;
        }
    }

    /// <summary>Loads the script on every server connected (each shard of a cluster runs it for its keys).</summary>
    private async Task<byte[]> LoadAsync(CancellationToken cancellationToken)
    {
        var servers = Connected().GetServers().Where(s => s.IsConnected).ToArray();
        if (servers.Length == 0)
        {
            throw new InvalidOperationException("no server connected");
        }

        var hashes = await Task.WhenAll(servers.Select(s => s.ScriptLoadAsync(Script))).WaitAsync(_timeout, cancellationToken);
        return hashes[0];
    }
}
