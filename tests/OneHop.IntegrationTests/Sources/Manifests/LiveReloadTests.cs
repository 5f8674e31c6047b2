using System.Diagnostics;
using System.Net.Sockets;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Sources.Manifests;

/// <summary>Editing the manifest directory while traffic flows: live, coalesced, and never breaking a request.</summary>
public sealed class LiveReloadTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_manifest_edit_reroutes_within_a_second_while_a_concurrent_request_loop_sees_no_failure()
    {
        await using var web = await TestPods.StartAsync("web", 2, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["ingress.yaml"] = DefaultClass + Ingress("site", "/", "web"),
                ["web.yaml"] = Service("web", web.Port, Endpoint.Ready(web["web-0"])),
            },
            Cancel);
        using var loop = new RequestLoop(onehop, concurrency: 4);

        await Task.Delay(200, Cancel);
        var edited = Stopwatch.StartNew();
        await onehop.WriteManifestAsync("web.yaml", Service("web", web.Port, Endpoint.Ready(web["web-1"])), Cancel);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(loop.LastPod == "web-1"), TimeSpan.FromSeconds(5), "web-1 to answer", Cancel);
        var rerouted = edited.Elapsed;
        await Task.Delay(300, Cancel);
        var (ok, failures, pods) = await loop.StopAsync();

        Assert.True(rerouted < TimeSpan.FromSeconds(1), $"rerouting took {rerouted.TotalMilliseconds:F0} ms");
        Assert.Empty(failures);
        Assert.True(ok > 50, $"only {ok} requests completed");
        Assert.Equal(["web-0", "web-1"], pods.Order());
    }

    [Fact]
    public async Task A_broken_edit_leaves_routing_unchanged_and_shows_in_the_status()
    {
        await using var web = await TestPods.StartAsync("web", 1, Cancel);
        var good = DefaultClass + Service("web", web) + Ingress("site", "/", "web");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["site.yaml"] = good }, Cancel);
        var version = (await onehop.StatusAsync(Cancel)).GetProperty("version").GetInt64();

        await onehop.WriteManifestAsync("site.yaml", good.Replace("port: 80", "port: eighty", StringComparison.Ordinal), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).GetProperty("diagnostics").EnumerateArray()
                .Any(d => d.GetProperty("code").GetString() == "InvalidObject" && d.GetProperty("origin").GetProperty("file").GetString() == "site.yaml"),
            TimeSpan.FromSeconds(5),
            "the error in /api/status",
            Cancel);

        Assert.Equal((200, "web-0"), ((await onehop.GetAsync("/", Cancel)).Status, (await onehop.GetAsync("/", Cancel)).Pod));
        Assert.Equal(version, (await onehop.StatusAsync(Cancel)).GetProperty("version").GetInt64());

        await onehop.WriteManifestAsync("site.yaml", good, Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).GetProperty("diagnostics").GetArrayLength() == 0,
            TimeSpan.FromSeconds(5),
            "the error to clear",
            Cancel);
    }

    [Fact]
    public async Task Keep_alive_connections_survive_snapshot_swaps()
    {
        var connections = 0;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, token) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        await using var web = await TestPods.StartAsync("web", 2, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["ingress.yaml"] = DefaultClass + Ingress("site", "/", "web"),
                ["web.yaml"] = Service("web", web.Port, Endpoint.Ready(web["web-0"])),
            },
            Cancel,
            handler: handler);

        for (var swap = 0; swap < 20; swap++)
        {
            var pod = $"web-{swap % 2}";
            await onehop.WriteManifestAsync("web.yaml", Service("web", web.Port, Endpoint.Ready(web[pod])), Cancel);
            await OneHopInstance.EventuallyAsync(async () => (await onehop.GetAsync("/", Cancel)).Pod == pod, TimeSpan.FromSeconds(5), $"{pod} to answer", Cancel);
        }

        Assert.Equal(1, connections);
    }

    [Fact]
    public async Task Removing_a_file_withdraws_its_routes()
    {
        await using var web = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["class.yaml"] = DefaultClass + Service("web", web), ["ingress.yaml"] = Ingress("site", "/", "web") },
            Cancel);
        Assert.Equal(200, (await onehop.GetAsync("/", Cancel)).Status);

        File.Delete(onehop.ManifestPath("ingress.yaml"));

        await OneHopInstance.EventuallyAsync(async () => (await onehop.GetAsync("/", Cancel)).Status == 404, TimeSpan.FromSeconds(5), "404 after removal", Cancel);
    }
}
