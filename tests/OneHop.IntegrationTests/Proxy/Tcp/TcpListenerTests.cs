using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>A tcp listener between plain socket clients and echo pods on loopback: bytes, half-close, retries, limits, timeouts.</summary>
public sealed class TcpListenerTests
{
    [Fact]
    public async Task Bytes_go_both_ways_and_a_client_half_close_still_gets_the_rest_of_the_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("echo-0");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready()) }, ct, L4Configs.Echo);

        using var client = await TcpClientHelpers.ConnectAsync(onehop.Server.L4.EndPoints["echo"], ct);
        Assert.Equal("hello\n", await client.EchoAsync("hello\n", ct));
        var big = new string('x', 1_000_000);
        await client.SendAsync(big, ct);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal(big, await client.ReadAsync(big.Length, ct));
        Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(5), ct), "the pod's FIN reaches the client after the echo");

        var routes = await onehop.Admin.GetFromJsonAsync<JsonElement>("/api/routes", ct);
        var l4 = routes.GetProperty("l4");
        Assert.Equal("echo", l4.GetProperty("listeners")[0].GetProperty("name").GetString());
        Assert.Equal("tcp/default/echo:80", l4.GetProperty("listeners")[0].GetProperty("routes")[0].GetProperty("backendId").GetString());
        Assert.Equal("echo-0", l4.GetProperty("backends")[0].GetProperty("endpoints")[0].GetProperty("pod").GetString());
    }

    [Fact]
    public async Task A_pod_that_speaks_first_is_heard_before_the_client_sends_and_its_half_close_leaves_the_client_sending()
    {
        // Server-first protocols (SMTP, MySQL): the relay waits on both sides without holding a buffer, and the pod's
        // FIN, which ends its direction first, must not cut the client's.
        var ct = TestContext.Current.CancellationToken;
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), 0));
        listener.Listen(8);
        var podEnd = (IPEndPoint)listener.LocalEndPoint!;
        var pod = Task.Run(
            async () =>
            {
                using var server = await listener.AcceptAsync(ct);
                await server.SendAsync("220 ready\n", ct);
                var hello = await server.ReadAsync("HELO\n".Length, ct);
                await server.SendAsync("250 ok\n", ct);
                server.Shutdown(SocketShutdown.Send);
                return hello + await server.ReadAsync(64, ct);
            },
            ct);
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", podEnd.Port, new Yaml.Endpoint(podEnd.Address.ToString(), "greeter-0")) }, ct, L4Configs.Echo);

        using var client = await TcpClientHelpers.ConnectAsync(onehop.Server.L4.EndPoints["echo"], ct);
        Assert.Equal("220 ready\n", await client.ReadAsync("220 ready\n".Length, ct));
        await client.SendAsync("HELO\n", ct);
        Assert.Equal("250 ok\n", await client.ReadAsync(64, ct));
        await client.SendAsync("QUIT\n", ct);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("HELO\nQUIT\n", await pod.WaitAsync(TimeSpan.FromSeconds(10), ct));
    }

    [Fact]
    public async Task A_refused_pod_is_retried_on_another_before_the_client_notices()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("echo-0");
        var dead = new Yaml.Endpoint(LoopbackAddresses.Next(), "echo-dead");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready(), dead) }, ct, L4Configs.Echo);

        for (var i = 0; i < 10; i++)
        {
            using var client = await TcpClientHelpers.ConnectAsync(onehop.Server.L4.EndPoints["echo"], ct);
            Assert.Equal($"ping {i}\n", await client.EchoAsync($"ping {i}\n", ct));
        }

        var metrics = await onehop.Admin.GetStringAsync("/metrics", ct);
        Assert.Contains("onehop_l4_connect_errors_total{backend=\"tcp/default/echo:80\",listener=\"echo\",pod=\"echo-dead\"}", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("onehop_l4_refused_total{listener=\"echo\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pod_gets_a_proxy_protocol_v1_header_with_the_client_address_before_the_client_bytes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("echo-0");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready()) }, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: echo-v1
                address: 127.0.0.1:0
                protocol: tcp
                service: default/echo:80
                proxyProtocolToBackend: v1
            """);

        using var client = await TcpClientHelpers.ConnectAsync(onehop.Server.L4.EndPoints["echo-v1"], ct);
        var local = (System.Net.IPEndPoint)client.LocalEndPoint!;
        var listener = onehop.Server.L4.EndPoints["echo-v1"];
        var header = $"PROXY TCP4 {local.Address} {listener.Address} {local.Port} {listener.Port}\r\n";
        await client.SendAsync("data", ct);

        Assert.Equal(header + "data", await client.ReadAsync(header.Length + 4, ct));
        Assert.StartsWith(header, Encoding.ASCII.GetString(pod.FirstReads[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listener_at_its_connection_cap_closes_one_more_and_an_idle_connection_is_closed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("echo-0");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready()) }, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: echo
                address: 127.0.0.1:0
                protocol: tcp
                service: default/echo:80
                maxConnections: 1
                idleTimeout: 2s
            """);
        var endpoint = onehop.Server.L4.EndPoints["echo"];

        using var first = await TcpClientHelpers.ConnectAsync(endpoint, ct);
        Assert.Equal("a", await first.EchoAsync("a", ct));
        using var second = await TcpClientHelpers.ConnectAsync(endpoint, ct);
        Assert.True(await second.ClosedWithinAsync(TimeSpan.FromSeconds(5), ct), "one over the cap is closed");

        var started = DateTime.UtcNow;
        Assert.True(await first.ClosedWithinAsync(TimeSpan.FromSeconds(10), ct), "an idle connection is closed");
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
    }
}
