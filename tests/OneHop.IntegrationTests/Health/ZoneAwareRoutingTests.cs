using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Health;

public sealed class ZoneAwareRoutingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_stay_in_the_replicas_zone_and_spill_over_when_it_runs_short()
    {
        await using var pods = await TestPods.StartAsync("web", 6, Cancel);
        var zones = new[] { "zone-a", "zone-a", "zone-b", "zone-b", "zone-c", "zone-c" };
        Endpoint At(int i, bool ready = true) => new(pods[$"web-{i}"].Options.Address, $"web-{i}", ReadyCondition: ready, Zone: zones[i]);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["ingress.yaml"] = DefaultClass + Ingress("site", "/", "web"),
                ["web.yaml"] = Service("web", pods.Port, [.. Enumerable.Range(0, 6).Select(i => At(i))]),
            },
            Cancel,
            config: "topology:\n  zone: zone-a\n");

        Assert.Equal(["web-0", "web-1"], await ServedAsync(onehop, 40));

        // One local pod goes not ready: zone-a holds 1 of 5 healthy endpoints, less than its third of the traffic.
        await onehop.WriteManifestAsync("web.yaml", Service("web", pods.Port, [At(0, ready: false), .. Enumerable.Range(1, 5).Select(i => At(i))]), Cancel);
        await OneHopInstance.EventuallyAsync(async () => (await ServedAsync(onehop, 40)).Count > 1 + 2, TimeSpan.FromSeconds(5), "spill-over to other zones", Cancel);
        Assert.DoesNotContain("web-0", await ServedAsync(onehop, 40));
    }

    private static async Task<List<string>> ServedAsync(OneHopInstance onehop, int requests)
    {
        var served = new HashSet<string>();
        for (var i = 0; i < requests; i++)
        {
            var (status, pod, _) = await onehop.GetAsync("/", Cancel);
            Assert.Equal(200, status);
            served.Add(pod!);
        }

        return [.. served.Order()];
    }
}
