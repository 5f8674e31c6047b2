using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Hosting;

/// <summary>
/// A Gateway's listeners are bound at their own ports on <c>--gateway-address</c> while OneHop runs: a new port is
/// served, a moved one is released, and a Gateway's routes are served on its ports only.
/// </summary>
public sealed class GatewayEndpointsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gateway_ports_are_bound_moved_and_released_while_onehop_runs()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await StartAsync(pods, address);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await OneHopInstance.EventuallyAsync(async () => await StatusAsync(client, address, 80) == 200, TimeSpan.FromSeconds(10), "the Gateway's port 80 serves its route", Cancel);

        // OneHop's own listener serves Ingresses, not this Gateway's routes: they belong to port 80.
        Assert.Equal(HttpStatusCode.NotFound, (await onehop.Proxy.GetAsync("/", Cancel)).StatusCode);

        await onehop.WriteManifestAsync("gateway.yaml", Yaml.HttpGateway([8080]), Cancel);
        await OneHopInstance.EventuallyAsync(async () => await StatusAsync(client, address, 8080) == 200, TimeSpan.FromSeconds(10), "the moved listener serves on 8080", Cancel);
        await OneHopInstance.EventuallyAsync(async () => await StatusAsync(client, address, 80) == 0, TimeSpan.FromSeconds(10), "port 80 is released", Cancel);

        File.Delete(onehop.ManifestPath("gateway.yaml"));
        await OneHopInstance.EventuallyAsync(async () => await StatusAsync(client, address, 8080) == 0, TimeSpan.FromSeconds(10), "a deleted Gateway's port is released", Cancel);
    }

    [Fact]
    public async Task A_port_added_before_the_others_leaves_their_connections_alone()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await StartAsync(pods, address);
        using var open = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await open.ConnectAsync(new IPEndPoint(address, 80), Cancel);

        // Port 79 sorts before 80: Kestrel must not see port 80's endpoint as changed (stopped, its connections closed).
        await onehop.WriteManifestAsync("gateway.yaml", Yaml.HttpGateway([79, 80]), Cancel);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await OneHopInstance.EventuallyAsync(async () => await StatusAsync(client, address, 79) == 200, TimeSpan.FromSeconds(10), "the added port serves", Cancel);

        await open.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {address}\r\n\r\n"), Cancel);
        var answer = new byte[12];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        var read = await open.ReceiveAsync(answer, deadline.Token);
        Assert.Equal("HTTP/1.1 200", System.Text.Encoding.ASCII.GetString(answer, 0, read));
    }

    /// <summary>OneHop with the Gateway's port 80 on <paramref name="address"/>, sending to <paramref name="pods"/>.</summary>
    private static Task<OneHopInstance> StartAsync(TestPods pods, IPAddress address) => OneHopInstance.StartAsync(
        new Dictionary<string, string> { ["web.yaml"] = Yaml.Service("web", pods), ["gateway.yaml"] = Yaml.HttpGateway([80]) },
        Cancel,
        configure: o => o with { GatewayAddresses = [address] });

    /// <summary>The status of GET / on the port, or 0 when nothing accepts the connection.</summary>
    private static async Task<int> StatusAsync(HttpClient client, IPAddress address, int port)
    {
        try
        {
            using var response = await client.GetAsync(new Uri($"http://{address}:{port}/"), Cancel);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
