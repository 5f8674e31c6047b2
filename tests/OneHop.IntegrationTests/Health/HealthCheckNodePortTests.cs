using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Health;

/// <summary>
/// The NodePort fallback with <c>externalTrafficPolicy: Local</c>: two "nodes" on loopback addresses, each with its
/// nodePort (a real HTTP pod) and kube-proxy's <c>healthCheckNodePort</c> (a real HTTP server answering as kube-proxy
/// does: 200 with the local endpoint count while the node holds a ready pod, 503 without). The health port is the
/// active health check of each node endpoint: a node answering 503 gets no traffic until it answers 200 again.
/// </summary>
public sealed class HealthCheckNodePortTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_whose_kube_proxy_health_port_answers_503_gets_no_traffic_until_it_answers_200()
    {
        await using var nodes = await TestPods.StartAsync("web", 2, Cancel);
        var addresses = nodes.All.ToDictionary(p => p.Options.Name, p => p.Options.Address);
        var localEndpoints = new ConcurrentDictionary<string, int>(addresses.Values.ToDictionary(a => a, _ => 1));
        var paths = new ConcurrentQueue<string>();
        await using var healthA = KubeProxyHealth(addresses["web-0"], 0, localEndpoints, paths);
        var healthPort = await KestrelApps.StartAsync(healthA, Cancel);
        await using var healthB = KubeProxyHealth(addresses["web-1"], healthPort, localEndpoints, paths);
        await KestrelApps.StartAsync(healthB, Cancel);

        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Cluster(addresses["web-0"], addresses["web-1"], nodes.Port, healthPort) + Ingress("site", "/", "web") },
            Cancel);

        await OneHopInstance.EventuallyAsync(async () => (await ServedAsync(onehop)).SetEquals(["web-0", "web-1"]), TimeSpan.FromSeconds(10), "both nodes to serve", Cancel);
        using (var routes = JsonDocument.Parse(await onehop.Admin.GetStringAsync("/api/routes", Cancel)))
        {
            var backend = routes.RootElement.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "default/web:80");
            Assert.Equal("NodePorts", backend.GetProperty("reach").GetString());
            Assert.All(backend.GetProperty("endpoints").EnumerateArray(), e => Assert.Equal(healthPort, e.GetProperty("healthPort").GetInt32()));
        }

        // node-b's last pod goes away: kube-proxy on node-b answers 503, OneHop stops sending there.
        localEndpoints[addresses["web-1"]] = 0;
        await OneHopInstance.EventuallyAsync(async () => (await ServedAsync(onehop)).SetEquals(["web-0"]), TimeSpan.FromSeconds(10), "node-b to leave the rotation", Cancel);

        localEndpoints[addresses["web-1"]] = 1;
        await OneHopInstance.EventuallyAsync(async () => (await ServedAsync(onehop)).SetEquals(["web-0", "web-1"]), TimeSpan.FromSeconds(10), "node-b to come back", Cancel);

        // The Service's own probe path is for pods; kube-proxy is asked at /healthz.
        Assert.All(paths, p => Assert.Equal("/healthz", p));
        Assert.NotEmpty(paths);
    }

    /// <summary>kube-proxy's service health server as it answers (pkg/proxy/healthcheck): any path, JSON, 200 or 503.</summary>
    private static WebApplication KubeProxyHealth(string address, int port, ConcurrentDictionary<string, int> localEndpoints, ConcurrentQueue<string> paths)
    {
        var app = KestrelApps.Create(address, port);
        app.Run(async context =>
        {
            paths.Enqueue(context.Request.Path.Value ?? string.Empty);
            var count = localEndpoints[address];
            context.Response.StatusCode = count > 0 ? 200 : 503;
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            await context.Response.WriteAsync($$"""{"service":{"namespace":"default","name":"web"},"localEndpoints":{{count}},"serviceProxyHealthy":true}""");
        });
        return app;
    }

    /// <summary>Two Nodes, and a NodePort Service with externalTrafficPolicy: Local whose one pod per node is ready.</summary>
    private static string Cluster(string nodeA, string nodeB, int nodePort, int healthPort) => $$$"""
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        status: {addresses: [{type: InternalIP, address: "{{{nodeA}}}"}]}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-b}
        status: {addresses: [{type: InternalIP, address: "{{{nodeB}}}"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations:
            onehop.dev/reach: nodeports
            onehop.dev/health-check-path: /pods-path
            onehop.dev/health-check-interval: 100ms
            onehop.dev/health-check-timeout: 1s
            onehop.dev/health-check-healthy-threshold: "1"
            onehop.dev/health-check-unhealthy-threshold: "1"
        spec:
          type: NodePort
          externalTrafficPolicy: Local
          healthCheckNodePort: {{{healthPort}}}
          ports: [{name: http, port: 80, targetPort: http, nodePort: {{{nodePort}}}}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-slice
          labels: {kubernetes.io/service-name: web}
        addressType: IPv4
        ports: [{name: http, port: 8080}]
        endpoints:
          - {addresses: ["10.244.1.5"], nodeName: node-a, conditions: {ready: true}}
          - {addresses: ["10.244.2.5"], nodeName: node-b, conditions: {ready: true}}

        """;

    private static async Task<HashSet<string>> ServedAsync(OneHopInstance onehop)
    {
        var served = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var (status, pod, _) = await onehop.GetAsync("/", Cancel);
            if (status == 200 && pod is not null)
            {
                served.Add(pod);
            }
        }

        return served;
    }
}
