using System.Text.Json;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing;

/// <summary>
/// The NodePort fallback (<c>onehop.dev/reach: nodeports</c>) on a network of the test's own: an edge host running
/// OneHop and three "nodes" on one L2 segment, each node with its nodePort served by a real HTTP server on its own
/// address. The pod IPs in the EndpointSlice are not routable from the edge, as where the fallback is needed. Nodes
/// without pods get no traffic, and a node whose pods all go away leaves the rotation with the next snapshot.
/// </summary>
public sealed class NodePortFallbackTests
{
    private const int NodePort = 30080;

    private static readonly Dictionary<string, string> Nodes = new(StringComparer.Ordinal)
    {
        ["node-1"] = "10.205.0.11",
        ["node-2"] = "10.205.0.12",
        ["node-3"] = "10.205.0.13",
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_nodes_with_ready_pods_get_traffic_and_a_node_whose_pods_left_is_out_with_the_next_snapshot()
    {
        Assert.SkipUnless(ExternalTool.Exists("curl"), "curl is not installed (apt-get install -y curl)");
        var lab = NetnsLab.Create();
        var work = Directory.CreateTempSubdirectory("onehop-nodeport-");
        try
        {
            lab.AddHosts("lan", "edge", "node-1", "node-2", "node-3");
            lab.Lan("lan", "eth0", [("edge", "10.205.0.1/24"), .. Nodes.Select(n => (n.Key, n.Value + "/24"))]);
            foreach (var (node, address) in Nodes)
            {
                // What kube-proxy's NodePort is to OneHop: a port on the node's address that answers for the Service.
                lab.StartOneHop(node, "pod", "--pod", $"{node}={address}:{NodePort}");
            }

            var manifest = Path.Combine(work.FullName, "web.yaml");
            await WriteAsync(manifest, Cluster(("10.244.1.5", "node-1"), ("10.244.1.6", "node-1"), ("10.244.2.5", "node-2")));
            lab.StartOneHop("edge", "run", "--manifests", work.FullName, "--http", "127.0.0.1:8080", "--admin", "127.0.0.1:9901", "--log-level", "Warning");
            await EventuallyAsync(() => lab.Exec("edge", "curl", "-fsS", "-o", "/dev/null", "--max-time", "1", "http://127.0.0.1:9901/readyz").Code == 0, TimeSpan.FromSeconds(40), "OneHop on edge ready", lab);
            await EventuallyAsync(() => Served(lab).Count(p => p is not null) == 30, TimeSpan.FromSeconds(20), "every node port listening", lab);

            var (version, endpoints) = Routes(lab);
            Assert.Equal(["10.205.0.11:30080 w2", "10.205.0.12:30080 w1"], endpoints);
            var served = Served(lab);
            // Weighted by ready pods: node-1 holds two, node-2 one, node-3 none.
            Assert.Equal([("node-1", 20), ("node-2", 10)], served.GroupBy(p => p ?? "failed").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())));

            // node-2's only pod goes away: the first snapshot after that no longer lists node-2.
            await WriteAsync(manifest, Cluster(("10.244.1.5", "node-1"), ("10.244.1.6", "node-1")));
            await EventuallyAsync(() => Routes(lab).Version > version, TimeSpan.FromSeconds(20), "a new snapshot", lab);
            var (next, left) = Routes(lab);
            Assert.Equal(version + 1, next);
            Assert.Equal(["10.205.0.11:30080 w2"], left);
            Assert.All(Served(lab), p => Assert.Equal("node-1", p));
        }
        finally
        {
            await lab.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    /// <summary>The pod (node) that answered each of 30 requests through OneHop; null for a failed request.</summary>
    private static List<string?> Served(NetnsLab lab)
    {
        var (_, output) = lab.Exec("edge", "bash", "-c", "for i in $(seq 30); do curl -s -o /dev/null --max-time 2 -w '%{http_code} %header{x-pod}\\n' http://127.0.0.1:8080/; done");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).Select(f => f[0] == "200" && f.Length > 1 && f[1].Length > 0 ? f[1] : null)];
    }

    /// <summary>The published version and the web backend's endpoints (<c>address:port wWEIGHT</c>), from /api/routes.</summary>
    private static (long Version, List<string> Endpoints) Routes(NetnsLab lab)
    {
        var (code, output) = lab.Exec("edge", "curl", "-fsS", "--max-time", "2", "http://127.0.0.1:9901/api/routes");
        Assert.True(code == 0, output);
        using var routes = JsonDocument.Parse(output);
        var backend = routes.RootElement.GetProperty("backends").EnumerateArray().Single(b => b.GetProperty("id").GetString() == "default/web:80");
        Assert.Equal("NodePorts", backend.GetProperty("reach").GetString());
        return (
            routes.RootElement.GetProperty("version").GetInt64(),
            [.. backend.GetProperty("endpoints").EnumerateArray().Select(e => $"{e.GetProperty("address").GetString()}:{e.GetProperty("port").GetInt32()} w{e.GetProperty("weight").GetInt32()}")]);
    }

    /// <summary>Written beside and renamed, so OneHop never reads half a file.</summary>
    private static async Task WriteAsync(string path, string content)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, content, Cancel);
        File.Move(temp, path, overwrite: true);
    }

    private static string Cluster(params (string Address, string Node)[] pods) => Yaml.DefaultClass + string.Concat(Nodes.Select(n => $$"""
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: {{n.Key}}}
        status: {addresses: [{type: InternalIP, address: "{{n.Value}}"}]}

        """)) + $$$"""
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, annotations: {onehop.dev/reach: nodeports, onehop.dev/load-balance: weighted-round-robin}}
        spec:
          type: NodePort
          ports: [{name: http, port: 80, targetPort: http, nodePort: {{{NodePort}}}}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}
        addressType: IPv4
        ports: [{name: http, port: 8080}]
        endpoints:
        {{{string.Join("\n", pods.Select(p => $"  - {{addresses: [\"{p.Address}\"], nodeName: {p.Node}, conditions: {{ready: true}}}}"))}}}

        """ + Yaml.Ingress("web", "/", "web");

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, string what, NetnsLab lab)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds}s waiting for: {what}\n{lab.Logs()}");
            await Task.Delay(100, Cancel);
        }
    }
}
