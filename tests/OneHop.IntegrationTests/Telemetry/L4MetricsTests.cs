using OneHop.IntegrationTests.Proxy.Tcp;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Telemetry;

/// <summary>The L4 per-pod series through a real tcp listener: pods that leave are forgotten after the retention.</summary>
public sealed class L4MetricsTests
{
    private const string Connections = "onehop_l4_connections_total";
    private const string Open = "onehop_l4_connections_open";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pod_that_left_loses_its_connection_series_after_the_retention()
    {
        await using var first = TcpEchoPod.Start("echo-0");
        await using var second = TcpEchoPod.Start("echo-1", first.Port);
        string Manifest(params TcpEchoPod[] live) => Yaml.Service("echo", first.Port, [.. live.Select(p => p.Ready())]);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["echo.yaml"] = Manifest(first, second) },
            Cancel,
            L4Configs.Echo,
            configure: o => o with { PodSeriesRetention = TimeSpan.Zero });
        for (var i = 0; i < 40 && (first.Connections == 0 || second.Connections == 0); i++)
        {
            await EchoOnceAsync(onehop);
        }

        var both = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
        Assert.True(both.Sum(Connections, ("pod", "echo-1")) > 0, "echo-1 was connected to");

        await onehop.WriteManifestAsync("echo.yaml", Manifest(first), Cancel);

        // echo-1 leaves the open gauge once it is no longer routed and has nothing open; the first scrape that finds it
        // gone ends its generation, whose series it shows one last time (that may be the scrape after the one whose gauge
        // first lacked echo-1: the heartbeat can forget echo-1 between a scrape's pruning and its collection).
        await OneHopInstance.EventuallyAsync(
            async () => await MetricsText.ScrapeAsync(onehop.Admin, Cancel) is var scrape && !scrape.Series(Open, ("pod", "echo-1")).Any() && !scrape.Series(Connections, ("pod", "echo-1")).Any(),
            TimeSpan.FromSeconds(10), "echo-1 leaves the L4 routing and its series end", Cancel);
        await EchoOnceAsync(onehop);

        var pruned = await MetricsText.ScrapeAsync(onehop.Admin, Cancel);
        Assert.Empty(pruned.Series(Connections, ("pod", "echo-1")));
        Assert.Empty(pruned.Series("onehop_l4_received_bytes_total", ("pod", "echo-1")));
        Assert.Equal(1, pruned.Sum(Connections, ("pod", "echo-0")));
    }

    private static async Task EchoOnceAsync(OneHopInstance onehop)
    {
        using var client = await TcpClientHelpers.ConnectAsync(onehop.Server.L4.EndPoints["echo"], Cancel);
        Assert.Equal("hi\n", await client.EchoAsync("hi\n", Cancel));
    }
}
