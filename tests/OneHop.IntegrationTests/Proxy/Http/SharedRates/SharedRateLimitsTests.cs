using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http.SharedRates;

/// <summary>
/// <c>limits.sharedRates</c> with Debian's redis-server: two OneHop replicas behind one Ingress with ingress-nginx's
/// <c>limit-rpm</c> admit together what one limit admits (each alone would admit it twice over), the counts are in
/// Redis under the Ingress's name, and a Redis that goes away or stalls leaves each replica limiting on its own — never
/// refusing a client within its limit for the store's sake — with <c>onehop_shared_rates_store_up</c> 0 meanwhile.
/// </summary>
public sealed class SharedRateLimitsTests
{
    private const string Host = "limited.example.org";

    private const string Password = "s3cret-of-the-test";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_replicas_count_an_ingress_s_rate_together_in_redis()
    {
        // A Redis with a password, which OneHop reads from a file (a mounted Secret) rather than from its config.
        await using var redis = await StartRedisAsync("--requirepass", Password);
        var passwordFile = Path.Combine(Path.GetTempPath(), $"onehop-redis-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, Password + "\n", Cancel);
        try
        {
            await CountTogetherAsync(redis, Config(redis) + $"\n    passwordFile: {passwordFile}\n");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task CountTogetherAsync(ServerProcess redis, string config)
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var manifests = Manifests(pods, "limit-rpm: \"1\"", multiplier: 6); // 7 at once, draining one a minute
        await using var a = await OneHopInstance.StartAsync(manifests, Cancel, config);
        await using var b = await OneHopInstance.StartAsync(manifests, Cancel, config);

        // A burst of 1 × 6 and the request at hand: 7 for both replicas together. After each admission the replica that
        // made it syncs it to Redis before the next request; the other reads the sum at its own next sync, so it decides
        // on a view that misses one request: 7, or 8. Alone each would admit 7: 14.
        var statuses = new List<int>();
        for (var i = 0; i < 16; i++)
        {
            var status = (await (i % 2 == 0 ? a : b).GetAsync("/", Cancel, Host)).Status;
            statuses.Add(status);
            var admitted = statuses.Count(s => s == 200);
            if (status == 200)
            {
                await OneHopInstance.EventuallyAsync(async () => await LevelAsync(redis) >= admitted - 0.5, TimeSpan.FromSeconds(10), "the admission in Redis", Cancel);
            }
        }

        Assert.InRange(statuses.Count(s => s == 200), 7, 8);
        Assert.All(statuses.Where(s => s != 200), s => Assert.Equal(503, s));
        Assert.All(statuses[^4..], s => Assert.Equal(503, s));

        var keys = await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "-a", Password, "--no-auth-warning", "--scan", "--pattern", "onehop:rate:*"], null, Cancel);
        Assert.Equal("onehop:rate:default/limited:m:127.0.0.1", keys.Output.Trim());
        Assert.Equal(1, (await MetricsText.ScrapeAsync(a.Admin, Cancel)).Sum("onehop_shared_rates_store_up"));

        // Redis gone: the replicas keep the counts they read and go on refusing; the gauge says they count alone.
        await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "-a", Password, "--no-auth-warning", "SHUTDOWN", "NOSAVE"], null, Cancel);
        Assert.Equal(503, (await a.GetAsync("/", Cancel, Host)).Status);
        await OneHopInstance.EventuallyAsync(async () => await StoreUpAsync(a) == 0, TimeSpan.FromSeconds(10), "the store reported down", Cancel);
        Assert.Equal(503, (await b.GetAsync("/", Cancel, Host)).Status);
    }

    [Fact]
    public async Task A_stalled_redis_never_refuses_a_client_within_its_limit()
    {
        await using var redis = await StartRedisAsync();
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(pods, "limit-rps: \"20\""), Cancel, Config(redis));
        Assert.Equal(200, (await onehop.GetAsync("/", Cancel, Host)).Status);
        await OneHopInstance.EventuallyAsync(async () => await StoreUpAsync(onehop) == 1, TimeSpan.FromSeconds(10), "the store answering", Cancel);

        // Redis stops answering for 3 s. A client at 10 a second, half its limit (a bucket of 21): each sync gives up
        // after its timeout (1 s) and the replica counts alone, so none of its requests waits for Redis or is refused.
        // At the pause's end Redis runs what waited: updates past their deadline are dropped (and sent again, drained over
        // their time), so the client is not refused then either.
        var paused = await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "CLIENT", "PAUSE", "3000", "ALL"], null, Cancel);
        Assert.Equal("OK", paused.Output.Trim());
        var statuses = new List<int>();
        var sawDown = false;
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await onehop.GetAsync("/", Cancel, Host)).Status);
            sawDown |= await StoreUpAsync(onehop) == 0;
            await Task.Delay(100, Cancel);
        }

        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.True(sawDown, "onehop_shared_rates_store_up went to 0 while Redis was paused");
        await OneHopInstance.EventuallyAsync(async () => await StoreUpAsync(onehop) == 1, TimeSpan.FromSeconds(10), "the store answering again", Cancel);

        // Redis forgets OneHop's script (SCRIPT FLUSH, a restart): the next sync fails for want of it, the one after
        // loads it again, and the admissions in between reach Redis (the bucket's key, deleted, is written again).
        await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "SCRIPT", "FLUSH"], null, Cancel);
        await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "DEL", Key("s")], null, Cancel);
        var written = false;
        for (var i = 0; i < 50 && !written; i++)
        {
            await onehop.GetAsync("/", Cancel, Host);
            await Task.Delay(100, Cancel);
            written = (await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "EXISTS", Key("s")], null, Cancel)).Output.Trim() == "1";
        }

        Assert.True(written, "the admissions reach Redis again after the script was reloaded");
    }

    private static string Key(string rate) => $"onehop:rate:default/limited:{rate}:127.0.0.1";

    private static Task<ServerProcess> StartRedisAsync(params string[] more) =>
        ServerProcess.StartAsync("redis-server", (address, port) => ["--bind", address, "--port", $"{port}", "--save", "", "--appendonly", "no", "--protected-mode", "no", .. more], udp: false, Cancel);

    private static Dictionary<string, string> Manifests(TestPods pods, string limit, int multiplier = 1) => new()
    {
        ["class.yaml"] = Yaml.DefaultClass,
        ["web.yaml"] = Yaml.Service("web", pods) + Yaml.NginxIngress("limited", Host, "web", "/", null, limit, $"limit-burst-multiplier: \"{multiplier}\""),
    };

    /// <summary>The level of the minute's bucket in Redis, 0 without it.</summary>
    private static async Task<double> LevelAsync(ServerProcess redis)
    {
        var level = (await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "-a", Password, "--no-auth-warning", "HGET", Key("m"), "l"], null, Cancel)).Output.Trim();
        return level.Length == 0 ? 0 : double.Parse(level, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Config(ServerProcess redis) => $"""
        limits:
          sharedRates:
            redis: {redis.Address}:{redis.Port}
            syncInterval: 50ms
        """;

    private static async Task<double?> StoreUpAsync(OneHopInstance onehop) =>
        (await MetricsText.ScrapeAsync(onehop.Admin, Cancel)).Series("onehop_shared_rates_store_up").SingleOrDefault()?.Value;
}
