using System.Diagnostics;
using System.Globalization;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http;

public sealed class RetryTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_full_outage_answers_503_quickly_and_the_budget_stops_a_retry_storm()
    {
        await using var pods = await TestPods.StartAsync("web", 3, Cancel);
        var endpoints = pods.All.Select(Endpoint.Ready).ToArray();
        var budget = new Dictionary<string, string> { ["retry-budget-percent"] = "20", ["retry-min-per-second"] = "0", ["outlier-consecutive-failures"] = "0" };
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, budget, endpoints) + Ingress("site", "/", "web") },
            Cancel);
        foreach (var name in new[] { "web-0", "web-1", "web-2" })
        {
            await pods.StopAsync(name);
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            var (status, _, body) = await onehop.GetAsync("/", Cancel);
            Assert.Equal(503, status);
            Assert.Contains("no endpoint of default/web:80 accepted the connection", body, StringComparison.Ordinal);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"200 requests took {clock.Elapsed.TotalSeconds:F1}s");
        var metrics = (await onehop.Admin.GetStringAsync("/metrics", Cancel)).Split('\n');
        var retries = metrics.Where(l => l.StartsWith("onehop_http_retries_total{", StringComparison.Ordinal)).Sum(Value);
        Assert.InRange(retries, 1, 0.2 * 200 + 1);
        Assert.True(metrics.Where(l => l.StartsWith("onehop_http_retry_budget_exhausted_total{", StringComparison.Ordinal)).Sum(Value) > 100);
    }

    [Fact]
    public async Task A_503_from_a_pod_is_retried_on_another_pod_for_idempotent_requests_only()
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        pods["web-0"].Behavior.Status = 503;
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, new Dictionary<string, string> { ["outlier-consecutive-failures"] = "0" }, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web"),
            },
            Cancel);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal((200, "web-1"), Pick(await onehop.GetAsync("/", Cancel)));
        }

        var posts = 0;
        for (var i = 0; i < 20; i++)
        {
            using var response = await onehop.Proxy.PostAsync("/", new StringContent("x"), Cancel);
            posts += (int)response.StatusCode == 503 ? 1 : 0;
        }

        Assert.True(posts > 0, "a POST with a body must not be replayed after a 503");
    }

    private static (int Status, string? Pod) Pick((int Status, string? Pod, string Body) response) => (response.Status, response.Pod);

    private static double Value(string line) => double.Parse(line.Split(' ')[^1], CultureInfo.InvariantCulture);
}
