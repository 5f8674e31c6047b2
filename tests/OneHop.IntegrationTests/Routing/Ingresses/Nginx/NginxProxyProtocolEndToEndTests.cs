using System.Net;
using System.Net.Sockets;
using System.Text;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>use-proxy-protocol</c> in the controller ConfigMap through a real OneHop, a raw TCP client on
/// loopback playing the L4 load balancer in front: with it on, a connection must start with the PROXY header, whose
/// address is the client the pod is told of; without the header the connection is closed; an edit applies to the next
/// connection.
/// </summary>
public sealed class NginxProxyProtocolEndToEndTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Use_proxy_protocol_requires_the_header_and_its_client_reaches_the_pod_live()
    {
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods) + Yaml.NginxIngress("shop", "shop.example.org", "shop"),
            ["controller.yaml"] = Yaml.NginxControllerMap(MapKey, "use-proxy-protocol: \"true\"", "proxy-real-ip-cidr: 127.0.0.0/8"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { NginxConfigMap = MapKey });
        var port = onehop.Port("http");

        var behind = await SendAsync(port, "PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\n");
        Assert.StartsWith("HTTP/1.1 200", behind, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-For: 203.0.113.7\n", behind, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(string.Empty, await SendAsync(port, proxyHeader: null)); // no header: closed before any answer

        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(MapKey, "use-proxy-protocol: \"false\""), Cancel);
        await OneHopInstance.EventuallyAsync(async () => (await SendAsync(port, proxyHeader: null)).StartsWith("HTTP/1.1 200", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "use-proxy-protocol false to apply", Cancel);

        // Off again: a PROXY header is now the start of a bad request, never a client address.
        Assert.DoesNotContain("203.0.113.7", await SendAsync(port, "PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\n"), StringComparison.Ordinal);
    }

    /// <summary>One request on a new connection, after <paramref name="proxyHeader"/>; the whole answer, empty when the connection was closed without one.</summary>
    private static async Task<string> SendAsync(int port, string? proxyHeader)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, Cancel);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{proxyHeader}GET /headers HTTP/1.1\r\nHost: shop.example.org\r\nConnection: close\r\n\r\n"), Cancel);
        try
        {
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadToEndAsync(Cancel);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
