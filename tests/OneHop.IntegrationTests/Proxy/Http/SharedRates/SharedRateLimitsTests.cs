using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http.SharedRates;

/// <summary>
/// <c>limits.sharedRates</c> with Debian's redis-server: two OneHop replicas behind one Ingress with ingress-nginx's
/// <c>limit-rpm</c> admit together what one limit admits (each alone would admit it twice over), the counts are in
/// Redis under the Ingress's name, and a Redis that goes away leaves each replica limiting on what it knew, with
/// <c>onehop_shared_rates_store_up</c> 0.
/// </summary>
public sealed class SharedRateLimitsTests
{
    private const string Host = "limited.example.org";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_replicas_count_an_ingress_s_rate_together_in_redis()
    {
        await using var redis = await ServerProcess.StartAsync("redis-server", (address, port) => ["--bind", address, "--port", $"{port}", "--save", "", "--appendonly", "no", "--protected-mode", "no"], udp: false, Cancel);
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["web.yaml"] = Yaml.Service("web", pods) + Yaml.NginxIngress("limited", Host, "web", "/", null, "limit-rpm: \"6\"", "limit-burst-multiplier: \"1\""),
        };
        var config = $"""
                limits:
                  sharedRates:
                    redis: {redis.Address}:{redis.Port}
                    syncInterval: 50ms
                """;
        await using var a = await OneHopInstance.StartAsync(manifests, Cancel, config);
        await using var b = await OneHopInstance.StartAsync(manifests, Cancel, config);

        // A burst of 6 × 1 and the request at hand: 7 for both replicas together. Each decides on what Redis said at
        // its last sync, which misses at most the other's last request: 7, or 8. Alone each would admit 7: 14.
        var statuses = new List<int>();
        for (var i = 0; i < 16; i++)
        {
            statuses.Add((await (i % 2 == 0 ? a : b).GetAsync("/", Cancel, Host)).Status);
            await Task.Delay(200, Cancel); // four syncs of each replica
        }

        Assert.InRange(statuses.Count(s => s == 200), 7, 8);
        Assert.All(statuses.Where(s => s != 200), s => Assert.Equal(503, s));
        Assert.All(statuses[^4..], s => Assert.Equal(503, s));

        var keys = await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "--scan", "--pattern", "onehop:rate:*"], null, Cancel);
        Assert.Equal("onehop:rate:default/limited:m:127.0.0.1", keys.Output.Trim());
        Assert.Equal(1, (await MetricsText.ScrapeAsync(a.Admin, Cancel)).Sum("onehop_shared_rates_store_up"));

        // Redis gone: the replicas keep the counts they read and go on refusing; the gauge says they count alone.
        await ExternalTool.RunAsync("redis-cli", ["-h", redis.Address, "-p", $"{redis.Port}", "SHUTDOWN", "NOSAVE"], null, Cancel);
        Assert.Equal(503, (await a.GetAsync("/", Cancel, Host)).Status);
        await OneHopInstance.EventuallyAsync(
            async () => (await MetricsText.ScrapeAsync(a.Admin, Cancel)).Series("onehop_shared_rates_store_up").SingleOrDefault()?.Value == 0,
            TimeSpan.FromSeconds(10),
            "the store reported down",
            Cancel);
        Assert.Equal(503, (await b.GetAsync("/", Cancel, Host)).Status);
    }
}
