using System.Net.WebSockets;
using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteBackendProtocolWebSocket (conformance/tests/httproute-backend-protocol-websocket.go): a WebSocket to a
/// Service port of appProtocol kubernetes.io/ws echoes a text and a binary message.
/// </summary>
public sealed class HttpRouteBackendProtocolWebSocketTests(HttpRouteBackendProtocolWebSocketTests.Gateway gateway) : IClassFixture<HttpRouteBackendProtocolWebSocketTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backend_resolved() => gateway.RoutesAccepted("same-namespace", "backend-protocol-ws");

    [Fact]
    public async Task A_websocket_reaches_the_backend_and_back()
    {
        var ct = TestTimeouts.Token();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{gateway.Address}:80/ws"), ct);

        Assert.Equal("Websocket Support!", Encoding.UTF8.GetString(await EchoAsync(socket, Encoding.UTF8.GetBytes("Websocket Support!"), WebSocketMessageType.Text, ct)));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], await EchoAsync(socket, [1, 2, 3, 4, 5, 6, 7], WebSocketMessageType.Binary, ct));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);
    }

    private static async Task<byte[]> EchoAsync(ClientWebSocket socket, byte[] message, WebSocketMessageType type, CancellationToken ct)
    {
        await socket.SendAsync(message, type, endOfMessage: true, ct);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, ct);
        Assert.True(received.EndOfMessage && received.MessageType == type, $"expected one {type} message back, got {received.MessageType}");
        return buffer[..received.Count];
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-backend-protocol-websocket.yaml");
}
