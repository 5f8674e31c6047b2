using System.Net.Sockets;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>
/// A rolling update of TCP pods under long-lived connections, as a Deployment does it: a new pod becomes ready, an
/// old one turns terminating (and stops accepting), then leaves the slice. The old connections keep working until
/// they close, no new connection reaches a pod that left, and no client ever sees a refused connection.
/// </summary>
public sealed class TcpRolloutTests
{
    [Fact]
    public async Task Old_connections_keep_working_new_ones_never_reach_a_removed_pod_and_no_client_sees_an_error()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var old0 = TcpEchoPod.Start("echo-old-0");
        await using var old1 = TcpEchoPod.Start("echo-old-1", old0.Port);
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", old0.Port, old0.Ready(), old1.Ready()) }, ct, L4Configs.Echo);
        var endpoint = onehop.Server.L4.EndPoints["echo"];

        // Long-lived connections spread over both old pods.
        var longLived = new List<Socket>();
        for (var i = 0; i < 6; i++)
        {
            var socket = await TcpClientHelpers.ConnectAsync(endpoint, ct);
            Assert.Equal("hi", await socket.EchoAsync("hi", ct));
            longLived.Add(socket);
        }

        Assert.True(old0.Connections > 0 && old1.Connections > 0, "connections on both old pods");

        // Short connections all through the rollout: each must connect and echo.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failures = 0;
        var made = 0;
        var load = Task.Run(
            async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var socket = await TcpClientHelpers.ConnectAsync(endpoint, ct);
                        if (await socket.EchoAsync("x", ct) != "x")
                        {
                            Interlocked.Increment(ref failures);
                        }

                        Interlocked.Increment(ref made);
                    }
                    catch (SocketException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            },
            ct);

        await using var new0 = TcpEchoPod.Start("echo-new-0", old0.Port);
        await using var new1 = TcpEchoPod.Start("echo-new-1", old0.Port);
        var terminating0 = new Yaml.Endpoint(old0.Address, old0.Name, ReadyCondition: false, ServingCondition: true, TerminatingCondition: true);
        await Step(onehop, Yaml.Service("echo", old0.Port, old0.Ready(), old1.Ready(), new0.Ready()), new0, ct);
        await Step(onehop, Yaml.Service("echo", old0.Port, terminating0, old1.Ready(), new0.Ready(), new1.Ready()), new1, ct);
        var old0Count = old0.Connections;
        old0.StopAccepting();
        await Step(onehop, Yaml.Service("echo", old0.Port, old1.Ready(), new0.Ready(), new1.Ready()), null, ct);
        var terminating1 = new Yaml.Endpoint(old1.Address, old1.Name, ReadyCondition: false, ServingCondition: true, TerminatingCondition: true);
        await Step(onehop, Yaml.Service("echo", old0.Port, terminating1, new0.Ready(), new1.Ready()), null, ct);
        var old1Count = old1.Connections;
        old1.StopAccepting();
        await Step(onehop, Yaml.Service("echo", old0.Port, new0.Ready(), new1.Ready()), null, ct);
        await Task.Delay(500, ct);
        await stop.CancelAsync();
        await load;

        Assert.Equal(0, failures);
        Assert.True(made > 20, $"only {made} connections during the rollout");
        Assert.Equal((old0Count, old1Count), (old0.Connections, old1.Connections));
        foreach (var socket in longLived)
        {
            Assert.Equal("still here", await socket.EchoAsync("still here", ct));
            socket.Dispose();
        }

        var metrics = await onehop.Admin.GetStringAsync("/metrics", ct);
        Assert.DoesNotContain("onehop_l4_refused_total{listener=\"echo\"", metrics, StringComparison.Ordinal);
        Assert.All(metrics.Split('\n').Where(l => l.StartsWith("onehop_l4_connect_errors_total{", StringComparison.Ordinal)), l => Assert.EndsWith(" 0", l, StringComparison.Ordinal));
    }

    /// <summary>Writes the slice and waits until OneHop routes by it (the newly ready pod, if any, takes connections).</summary>
    private static async Task Step(OneHopInstance onehop, string manifest, TcpEchoPod? ready, CancellationToken ct)
    {
        var version = (await onehop.StatusAsync(ct)).GetProperty("appliedVersion").GetInt64();
        await onehop.WriteManifestAsync("echo.yaml", manifest, ct);
        await OneHopInstance.EventuallyAsync(async () => (await onehop.StatusAsync(ct)).GetProperty("appliedVersion").GetInt64() > version, TimeSpan.FromSeconds(10), "the slice is applied", ct);
        if (ready is not null)
        {
            await OneHopInstance.EventuallyAsync(() => Task.FromResult(ready.Connections > 0), TimeSpan.FromSeconds(10), $"{ready.Name} takes connections", ct);
        }

        await Task.Delay(200, ct);
    }
}
