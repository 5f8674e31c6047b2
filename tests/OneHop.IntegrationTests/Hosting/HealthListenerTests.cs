using System.Net;
using OneHop.Core.Configuration;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Hosting;

/// <summary>
/// <c>--health</c>: the kubelet's probes and Prometheus get /healthz, /readyz and /metrics on an address of their own
/// while the admin API, with routes, pod addresses and certificates, stays on loopback.
/// </summary>
public sealed class HealthListenerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serves_health_readiness_and_metrics_and_nothing_of_the_admin_API()
    {
        await using var web = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", web) + Ingress("site", "/", "web") },
            Cancel,
            configure: o => o with { Health = ListenAddress.Parse("127.0.0.1:0") });
        Assert.NotNull(onehop.Server.HealthUrl);
        Assert.NotEqual(onehop.Server.AdminUrl, onehop.Server.HealthUrl);
        using var health = new HttpClient { BaseAddress = new Uri(onehop.Server.HealthUrl), Timeout = TimeSpan.FromSeconds(10) };

        Assert.Equal("ok\n", await health.GetStringAsync("/healthz", Cancel));
        Assert.Equal("ready\n", await health.GetStringAsync("/readyz", Cancel));
        Assert.Contains("onehop_snapshot_builds_total{result=\"success\"}", await health.GetStringAsync("/metrics", Cancel), StringComparison.Ordinal);
        foreach (var path in new[] { "/api/routes", "/api/status", "/api/certificates", "/" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await health.GetAsync(path, Cancel)).StatusCode);
        }

        // Prometheus and the kubelet name the pod or node as Host: answered here, where the admin API says 421.
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = "node-1.example.com" } };
        Assert.Equal(HttpStatusCode.OK, (await health.SendAsync(scrape, Cancel)).StatusCode);
        using var adminScrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = "node-1.example.com" } };
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await onehop.Admin.SendAsync(adminScrape, Cancel)).StatusCode);

        onehop.Server.BeginDrain();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await health.GetAsync("/readyz", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/healthz", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Is_off_unless_asked_for()
    {
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["class.yaml"] = DefaultClass }, Cancel);
        Assert.Null(onehop.Server.HealthUrl);
    }
}
