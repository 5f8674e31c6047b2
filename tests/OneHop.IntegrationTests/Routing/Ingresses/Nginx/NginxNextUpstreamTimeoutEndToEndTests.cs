using System.Net;
using System.Net.Sockets;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// proxy-next-upstream-timeout as nginx's proxy_next_upstream_timeout: no new try once that long has passed since the
/// first began. Three pods whose accept queues are full (each connect times out after proxy-connect-timeout): without
/// the limit OneHop tries all three; with one, only the tries that begin within it (times kept off the boundary, since a
/// connect timeout may fire a hair early).
/// </summary>
public sealed class NginxNextUpstreamTimeoutEndToEndTests
{
    [Theory]
    [InlineData(null, "1", 3)]
    [InlineData("0", "1", 3)] // 0: no limit, nginx's default
    [InlineData("1", "2", 1)] // the first try fails at 2 s, past the limit
    [InlineData("3", "2", 2)] // the first fails at 2 s, within it; the second at 4 s, past it
    public async Task No_try_begins_after_the_timeout_since_the_first(string? timeout, string connectTimeout, int tried)
    {
        var ct = TestTimeouts.Token();
        var pods = UnresponsivePods(3, ct);
        try
        {
            var annotations = $"nginx.ingress.kubernetes.io/proxy-connect-timeout: \"{connectTimeout}\""
                + (timeout is null ? string.Empty : $", nginx.ingress.kubernetes.io/proxy-next-upstream-timeout: \"{timeout}\"");
            var ingress = Yaml.Ingress("app", "/", "app").Replace("  name: app\n", $"  name: app\n  annotations: {{{annotations}}}\n", StringComparison.Ordinal);
            var endpoints = pods.Select((p, i) => new Yaml.Endpoint(((IPEndPoint)p.Listener.LocalEndPoint!).Address.ToString(), $"app-{i}")).ToArray();
            await using var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["app.yaml"] = Yaml.DefaultClass + Yaml.Service("app", ((IPEndPoint)pods[0].Listener.LocalEndPoint!).Port, endpoints) + ingress },
                ct);

            using var connection = await RawConnection.OpenAsync(onehop.Port("http"), null, ct);
            await connection.SendAsync("GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
            var answer = await connection.ReadToCloseAsync(ct);

            Assert.StartsWith("HTTP/1.1 503 ", answer, StringComparison.Ordinal);
            Assert.Contains("\r\nX-OneHop-Error: connect-timeout\r\n", answer, StringComparison.Ordinal);
            Assert.Contains($"accepted the connection ({tried} tried", answer, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var (listener, fillers) in pods)
            {
                fillers.ForEach(f => f.Dispose());
                listener.Dispose();
            }
        }
    }

    /// <summary>
    /// Listeners on one port of different loopback addresses that never accept, their queues filled: Linux drops further
    /// SYNs, so connecting to them times out.
    /// </summary>
    private static List<(Socket Listener, List<Socket> Fillers)> UnresponsivePods(int count, CancellationToken ct)
    {
        var pods = new List<(Socket, List<Socket>)>();
        var port = 0;
        for (var n = 0; n < count; n++)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), port));
            listener.Listen(0);
            var endpoint = (IPEndPoint)listener.LocalEndPoint!;
            port = endpoint.Port;
            var fillers = new List<Socket>();
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(endpoint, ct).AsTask();
            }

            pods.Add((listener, fillers));
        }

        return pods;
    }
}
