using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Health;

public sealed class HealthCheckingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pod_failing_its_probe_is_taken_out_and_comes_back_when_it_passes_again()
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        var probe = new Dictionary<string, string>
        {
            ["health-check-path"] = "/healthz",
            ["health-check-interval"] = "100ms",
            ["health-check-timeout"] = "1s",
            ["health-check-unhealthy-threshold"] = "2",
            ["health-check-healthy-threshold"] = "2",
        };
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, probe, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web"),
            },
            Cancel);

        pods["web-1"].Behavior.HealthStatus = 503;
        await OneHopInstance.EventuallyAsync(async () => !(await ServedAsync(onehop)).Contains("web-1"), TimeSpan.FromSeconds(5), "web-1 to be probed out", Cancel);

        pods["web-1"].Behavior.HealthStatus = 200;
        await OneHopInstance.EventuallyAsync(async () => (await ServedAsync(onehop)).Contains("web-1"), TimeSpan.FromSeconds(5), "web-1 to come back", Cancel);
    }

    [Fact]
    public async Task Outlier_detection_ejects_failing_pods_but_never_more_than_its_cap()
    {
        await using var pods = await TestPods.StartAsync("web", 4, Cancel);
        pods["web-2"].Behavior.Status = 500;
        pods["web-3"].Behavior.Status = 500;
        var outlier = new Dictionary<string, string>
        {
            ["outlier-consecutive-failures"] = "3",
            ["outlier-base-ejection-time"] = "30s",
            ["outlier-max-ejection-percent"] = "25",
            ["load-balance"] = "round-robin",
        };
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, outlier, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web"),
            },
            Cancel);

        for (var i = 0; i < 80; i++)
        {
            await onehop.GetAsync("/", Cancel);
        }

        var before = (pods["web-2"].Requests, pods["web-3"].Requests);
        for (var i = 0; i < 80; i++)
        {
            await onehop.GetAsync("/", Cancel);
        }

        // With 4 endpoints and a 25% cap exactly one failing pod is ejected; the other keeps getting its share.
        var grew = new[] { pods["web-2"].Requests > before.Item1, pods["web-3"].Requests > before.Item2 };
        Assert.Equal(1, grew.Count(g => g));
        var metrics = await onehop.Admin.GetStringAsync("/metrics", Cancel);
        Assert.Contains("onehop_outlier_ejections_total{service=\"default/web:80\"} 1", metrics, StringComparison.Ordinal);
    }

    private static async Task<HashSet<string>> ServedAsync(OneHopInstance onehop)
    {
        var served = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var (status, pod, _) = await onehop.GetAsync("/", Cancel);
            Assert.Equal(200, status);
            served.Add(pod!);
        }

        return served;
    }
}
