using System.Net;
using System.Net.Sockets;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Hosting;

/// <summary>
/// OneHop is ready only once the ports its first snapshot's Gateways ask for listen: Kestrel binds them on a
/// configuration reload after the snapshot is live, and a load balancer that sends traffic on the first 200 from
/// /readyz must not meet a refused connection.
/// </summary>
public sealed class GatewayReadinessTests
{
    // Many endpoints (listeners times addresses): Kestrel binds them one after the other, which widens the race.
    private static readonly int[] Ports = [.. Enumerable.Range(21000, 60)];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_gateway_port_accepts_connections_once_readyz_says_ready()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);

        // A few starts, each on a fresh address: the race between the reload that binds and readiness shows in some.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            IPAddress[] addresses = [.. Enumerable.Range(0, 3).Select(_ => IPAddress.Parse(LoopbackAddresses.Next()))];
            await using var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["web.yaml"] = Yaml.Service("web", pods), ["gateway.yaml"] = Yaml.HttpGateway(Ports) },
                Cancel,
                configure: o => o with { GatewayAddresses = [.. addresses] });

            Assert.Equal("ready\n", await onehop.Admin.GetStringAsync("/readyz", Cancel));

            // The endpoints bound last first.
            foreach (var endpoint in addresses.SelectMany(a => Ports.Select(p => new IPEndPoint(a, p))).OrderByDescending(e => e.ToString(), StringComparer.Ordinal))
            {
                using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                var refused = await Record.ExceptionAsync(() => socket.ConnectAsync(endpoint, Cancel).AsTask());
                Assert.True(refused is null, $"attempt {attempt}: {endpoint} refused a connection after /readyz said ready: {refused?.Message}");
            }
        }
    }

    [Fact]
    public async Task A_port_another_process_holds_does_not_hold_readiness_and_readyz_says_so()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        using var holder = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(address, 80));
        holder.Listen();

        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["web.yaml"] = Yaml.Service("web", pods), ["gateway.yaml"] = Yaml.HttpGateway([80, 8080]) },
            Cancel,
            configure: o => o with { GatewayAddresses = [address] });

        Assert.Equal(
            $"ready, but Gateway ports not listening: {address}:80: address in use (another process holds the port)\n",
            await onehop.Admin.GetStringAsync("/readyz", Cancel));
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(address, 8080), Cancel);
    }
}
