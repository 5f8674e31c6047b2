using System.Net;
using System.Net.WebSockets;
using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>Upgraded connections live on while routing snapshots are swapped underneath them.</summary>
public sealed class WebSocketTests
{
    private const int Swaps = 100;

    [Fact]
    public async Task An_http1_websocket_echo_survives_100_snapshot_swaps()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pods = await TestPods.StartAsync("chat", 2, ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(pods, swap: 0), ct);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{onehop.Port("http")}/ws"), ct);

        await EchoThroughSwapsAsync(socket, onehop, pods, ct);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
    }

    [Fact]
    public async Task An_http2_websocket_extended_connect_echo_survives_100_snapshot_swaps()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("chat", 2, ct);
        var manifests = Manifests(pods, swap: 0);
        manifests["tls.yaml"] = TestCertificates.Secret("chat-tls", ca.Issue("chat.example.org"))
            + Yaml.TlsIngress("chat-tls", "chat.example.org", "chat-tls", "chat");
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true);
        using var client = ca.Client(onehop.Port("https"));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        await socket.ConnectAsync(new Uri($"wss://chat.example.org:{onehop.Port("https")}/ws"), client.Http, ct);

        await EchoThroughSwapsAsync(socket, onehop, pods, ct);

        Assert.Equal(HttpStatusCode.OK, socket.HttpStatusCode);
    }

    /// <summary>
    /// One echo per swap; each swap changes the chat backend itself (a pod joins or leaves, the second of the two, so
    /// the pod holding the socket stays) and waits for the new snapshot to be handed to the data plane.
    /// </summary>
    private static async Task EchoThroughSwapsAsync(ClientWebSocket socket, OneHopInstance onehop, TestPods pods, CancellationToken ct)
    {
        var first = await EchoAsync(socket, "hello", ct);
        for (var swap = 1; swap <= Swaps; swap++)
        {
            var before = onehop.Server.Coordinator.Status.Version;
            var manifests = Manifests(pods, swap);
            await onehop.WriteManifestAsync("chat.yaml", manifests["chat.yaml"], ct);
            await OneHopInstance.EventuallyAsync(
                () => Task.FromResult(onehop.Server.Coordinator.Status.Version > before),
                TimeSpan.FromSeconds(5),
                $"snapshot swap {swap}",
                ct);
            Assert.Equal($"message {swap}", await EchoAsync(socket, $"message {swap}", ct));
        }

        Assert.Equal("hello", first);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    // Odd swaps drop chat-1 from the Service; even swaps bring it back. chat-0 always stays; the socket lives on one
    // of the two, and closing it on chat-1's removal would be correct for Kubernetes but the pod is still running.
    private static Dictionary<string, string> Manifests(TestPods pods, int swap)
    {
        var endpoints = pods.All.OrderBy(p => p.Options.Name).Select(p => swap % 2 == 1 && p.Options.Name == "chat-1"
            ? Yaml.Endpoint.NotReady(p)
            : Yaml.Endpoint.Ready(p));
        return new()
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["chat.yaml"] = Yaml.Service("chat", pods.Port, [.. endpoints]) + Yaml.Ingress("chat", "/", "chat"),
        };
    }
}
