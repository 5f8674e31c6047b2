using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>Requests through a real OneHop to real pods on their own loopback addresses.</summary>
public sealed class RoutingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_reach_the_right_service_and_spread_over_all_its_ready_pods()
    {
        await using var web = await TestPods.StartAsync("web", 3, Cancel);
        await using var api = await TestPods.StartAsync("api", 2, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + Service("web", web) + Service("api", api)
                    + Ingress("site", (string.Empty, "/", "Prefix", "web"), (string.Empty, "/api", "Prefix", "api")),
            },
            Cancel);

        var webPods = new HashSet<string>();
        for (var i = 0; i < 60; i++)
        {
            var (status, pod, _) = await onehop.GetAsync($"/page/{i}", Cancel);
            Assert.Equal(200, status);
            webPods.Add(pod!);
        }

        var apiPods = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            var (status, pod, _) = await onehop.GetAsync("/api/items", Cancel);
            Assert.Equal(200, status);
            apiPods.Add(pod!);
        }

        Assert.Equal(["web-0", "web-1", "web-2"], webPods.Order());
        Assert.Equal(["api-0", "api-1"], apiPods.Order());
    }

    [Fact]
    public async Task An_endpoint_that_is_not_ready_never_receives_a_request()
    {
        await using var web = await TestPods.StartAsync("web", 3, Cancel);
        var deadAddress = LoopbackAddresses.Next();
        var endpoints = new[]
        {
            Endpoint.Ready(web["web-0"]),
            Endpoint.Ready(web["web-1"]),
            Endpoint.NotReady(web["web-2"]),
            new Endpoint(deadAddress, "dead", ReadyCondition: false),
        };
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", web.Port, endpoints) + Ingress("site", "/", "web") },
            Cancel);

        for (var i = 0; i < 100; i++)
        {
            var (status, pod, _) = await onehop.GetAsync("/", Cancel);
            Assert.Equal(200, status);
            Assert.NotEqual("web-2", pod);
        }

        Assert.Equal(0, web["web-2"].Requests);
    }

    [Fact]
    public async Task Terminating_but_serving_pods_take_traffic_only_while_nothing_is_ready()
    {
        await using var web = await TestPods.StartAsync("web", 2, Cancel);
        var draining = Service("web", web.Port, Endpoint.Terminating(web["web-0"]));
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["class.yaml"] = DefaultClass + Ingress("site", "/", "web"), ["web.yaml"] = draining },
            Cancel);

        Assert.Equal((200, "web-0"), Pick(await onehop.GetAsync("/", Cancel)));

        await onehop.WriteManifestAsync("web.yaml", Service("web", web.Port, Endpoint.Terminating(web["web-0"]), Endpoint.Ready(web["web-1"])), Cancel);
        await OneHopInstance.EventuallyAsync(async () => (await onehop.GetAsync("/", Cancel)).Pod == "web-1", TimeSpan.FromSeconds(5), "the ready pod to take over", Cancel);

        var before = web["web-0"].Requests;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal((200, "web-1"), Pick(await onehop.GetAsync("/", Cancel)));
        }

        Assert.Equal(before, web["web-0"].Requests);
    }

    [Fact]
    public async Task A_service_without_usable_endpoints_answers_503_naming_it_and_no_route_answers_404()
    {
        await using var web = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + Service("web", web.Port, Endpoint.NotReady(web["web-0"]))
                    + Ingress("site", ("shop.example.com", "/", "Prefix", "web"), ("shop.example.com", "/gone", "Prefix", "missing")),
            },
            Cancel);

        var (status, _, body) = await onehop.GetAsync("/", Cancel, host: "shop.example.com");
        Assert.Equal(503, status);
        Assert.Contains("default/web:80", body, StringComparison.Ordinal);

        (status, _, body) = await onehop.GetAsync("/gone", Cancel, host: "shop.example.com");
        Assert.Equal(503, status);
        Assert.Contains("service default/missing does not exist", body, StringComparison.Ordinal);

        (status, _, _) = await onehop.GetAsync("/", Cancel, host: "other.example.com");
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task Ingress_host_and_path_rules_hold_over_real_http()
    {
        await using var pods = await TestPods.StartAsync("p", 3, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass
                    + Service("exact", pods.Port, Endpoint.Ready(pods["p-0"]))
                    + Service("prefix", pods.Port, Endpoint.Ready(pods["p-1"]))
                    + Service("wild", pods.Port, Endpoint.Ready(pods["p-2"]))
                    + Ingress(
                        "rules",
                        ("paths.example.com", "/foo", "Exact", "exact"),
                        ("paths.example.com", "/aaa", "Prefix", "prefix"),
                        ("*.wild.example.com", "/", "Prefix", "wild")),
            },
            Cancel);

        Assert.Equal((200, "p-0"), Pick(await onehop.GetAsync("/foo", Cancel, "paths.example.com")));
        Assert.Equal(404, (await onehop.GetAsync("/foo/", Cancel, "paths.example.com")).Status);
        Assert.Equal(404, (await onehop.GetAsync("/FOO", Cancel, "paths.example.com")).Status);
        Assert.Equal((200, "p-1"), Pick(await onehop.GetAsync("/aaa/bbb?q=1", Cancel, "PATHS.example.com:8080")));
        Assert.Equal(404, (await onehop.GetAsync("/aaaccc", Cancel, "paths.example.com")).Status);
        Assert.Equal((200, "p-2"), Pick(await onehop.GetAsync("/", Cancel, "a.wild.example.com")));
        Assert.Equal(404, (await onehop.GetAsync("/", Cancel, "a.b.wild.example.com")).Status);
    }

    [Fact]
    public async Task Pods_see_the_original_host_and_the_client_address()
    {
        await using var web = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", web) + Ingress("site", "/", "web") },
            Cancel);

        var (_, _, body) = await onehop.GetAsync("/hello?x=1", Cancel, host: "shop.example.com");

        Assert.Contains("request: GET /hello?x=1 HTTP/1.1", body, StringComparison.Ordinal);
        Assert.Contains("host: shop.example.com", body, StringComparison.Ordinal);
        Assert.Contains("x-forwarded-for: 127.0.0.1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_static_upstream_from_the_config_file_is_served_beside_kubernetes_routes()
    {
        await using var web = await TestPods.StartAsync("web", 1, Cancel);
        await using var legacy = await TestPods.StartAsync("iis", 2, Cancel);
        var config = $"""
            upstreams:
              - name: iis
                loadBalancing: round-robin
                endpoints:
            {string.Join("\n", legacy.All.Select(p => $"      - address: {p.Endpoint}"))}
            routes:
              - hosts: [intranet.example.com]
                path: /
                upstream: iis
            """;
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", web) + Ingress("site", "/", "web") },
            Cancel,
            config);

        var answered = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var (status, pod, _) = await onehop.GetAsync("/default.aspx", Cancel, host: "intranet.example.com");
            Assert.Equal(200, status);
            answered.Add(pod!);
        }

        Assert.Equal(["iis-0", "iis-1"], answered.Order());
        Assert.Equal((200, "web-0"), Pick(await onehop.GetAsync("/", Cancel, host: "www.example.com")));
    }

    private static (int Status, string? Pod) Pick((int Status, string? Pod, string Body) response) => (response.Status, response.Pod);
}
