using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Proxy.Tcp;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// TCPRoute, UDPRoute and TLSRoute end to end: a Gateway's TCP, UDP and TLS (Passthrough) listeners bound on the
/// --gateway-address at their ports, real sockets to real pods (TCP echo, UDP echo, two TLS servers told apart by SNI),
/// from the manifest directory and from the API test server, with the status the leader writes.
/// </summary>
public sealed class GatewayL4RoutesTests(PodNamespaceFixture fixture) : IClassFixture<PodNamespaceFixture>
{
    private const int TcpPort = 15432;
    private const int UdpPort = 15353;
    private const int TlsPort = 18443;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tcp_udp_and_tls_routes_from_manifests_reach_their_pods_and_tls_is_told_apart_by_sni()
    {
        using var ca = new TestCertificates();
        await using var echo = TcpEchoPod.Start("echo-0");
        await using var a = TlsPod.Start("a-0", ca.Issue("a.example.com"));
        await using var b = TlsPod.Start("b-0", ca.Issue("b.example.com"));
        using var dns = UdpResponder("dns-0", out var dnsPort);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        var manifests = new Dictionary<string, string>
        {
            ["gateway.yaml"] = GatewayYaml,
            ["routes.yaml"] = """
                apiVersion: gateway.networking.k8s.io/v1alpha2
                kind: TCPRoute
                metadata: {name: echo}
                spec:
                  parentRefs: [{name: edge, sectionName: tcp}]
                  rules: [{backendRefs: [{name: echo, port: 80}]}]
                ---
                apiVersion: gateway.networking.k8s.io/v1alpha2
                kind: UDPRoute
                metadata: {name: dns}
                spec:
                  parentRefs: [{name: edge, sectionName: udp}]
                  rules: [{backendRefs: [{name: dns, port: 53}]}]
                ---
                apiVersion: gateway.networking.k8s.io/v1alpha2
                kind: TLSRoute
                metadata: {name: a}
                spec:
                  parentRefs: [{name: edge, sectionName: tls}]
                  hostnames: [a.example.com]
                  rules: [{backendRefs: [{name: a, port: 80}]}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: TLSRoute
                metadata: {name: b}
                spec:
                  parentRefs: [{name: edge, sectionName: tls}]
                  hostnames: [b.example.com]
                  rules: [{backendRefs: [{name: b, port: 80}]}]
                """,
            ["echo.yaml"] = Yaml.Service("echo", echo.Port, echo.Ready()),
            ["a.yaml"] = Yaml.Service("a", a.Port, a.Ready()),
            ["b.yaml"] = Yaml.Service("b", b.Port, b.Ready()),
            ["dns.yaml"] = Yaml.UdpService("dns", dnsPort, new Yaml.Endpoint(((IPEndPoint)dns.LocalEndPoint!).Address.ToString(), "dns-0")),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { GatewayAddresses = [address] });
        await BoundAsync(onehop, $"gateway/tcp/{address}:{TcpPort}", $"gateway/udp/{address}:{UdpPort}", $"gateway/tls/{address}:{TlsPort}");

        using (var tcp = await TcpClientHelpers.ConnectAsync(new IPEndPoint(address, TcpPort), Cancel))
        {
            Assert.Equal("hello over TCPRoute", await tcp.EchoAsync("hello over TCPRoute", Cancel));
        }

        Assert.Equal(1, echo.Connections);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Connect(new IPEndPoint(address, UdpPort));
        Assert.Equal("dns-0 q1", await AskAsync(udp, "q1", Cancel));
        Assert.Equal("dns-0 q2", await AskAsync(udp, "q2", Cancel));

        var (greeting, certificate) = await TlsPod.AskAsync(new IPEndPoint(address, TlsPort), "a.example.com", ca.Ca, Cancel);
        Assert.Equal("a-0 a.example.com", greeting);
        Assert.Contains("a.example.com", certificate.Subject, StringComparison.Ordinal);
        Assert.Equal("b-0 b.example.com", (await TlsPod.AskAsync(new IPEndPoint(address, TlsPort), "b.example.com", ca.Ca, Cancel)).Greeting);

        // A name no TLSRoute takes: no route, the connection is closed and no pod sees it.
        await Assert.ThrowsAnyAsync<Exception>(() => TlsPod.AskAsync(new IPEndPoint(address, TlsPort), "c.example.com", ca.Ca, Cancel));
        Assert.Equal((1, 1), (a.Connections, b.Connections));

        // The TCPRoute goes: the listener stays (it is the Gateway's), new connections find no route and are closed.
        File.Delete(onehop.ManifestPath("routes.yaml"));
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.Admin.GetStringAsync("/api/routes", Cancel)).Contains("gateway/tcp/", StringComparison.Ordinal)
                && !(await onehop.Admin.GetStringAsync("/api/routes", Cancel)).Contains("TCPRoute default/echo", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the TCPRoute to be gone",
            Cancel);
        using var after = await TcpClientHelpers.ConnectAsync(new IPEndPoint(address, TcpPort), Cancel);
        Assert.True(await after.ClosedWithinAsync(TimeSpan.FromSeconds(5), Cancel), "a TCP listener without a route closes connections");
        Assert.Equal(1, echo.Connections);
    }

    [Fact]
    public async Task Weighted_backends_share_connections_and_a_zero_weight_takes_none()
    {
        await using var first = TcpEchoPod.Start("first-0");
        await using var second = TcpEchoPod.Start("second-0");
        await using var never = TcpEchoPod.Start("never-0");
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        var manifests = new Dictionary<string, string>
        {
            ["gateway.yaml"] = GatewayYaml,
            ["route.yaml"] = """
                apiVersion: gateway.networking.k8s.io/v1alpha2
                kind: TCPRoute
                metadata: {name: split}
                spec:
                  parentRefs: [{name: edge, port: 15432}]
                  rules: [{backendRefs: [{name: first, port: 80, weight: 1}, {name: second, port: 80, weight: 1}, {name: never, port: 80, weight: 0}]}]
                """,
            ["first.yaml"] = Yaml.Service("first", first.Port, first.Ready()),
            ["second.yaml"] = Yaml.Service("second", second.Port, second.Ready()),
            ["never.yaml"] = Yaml.Service("never", never.Port, never.Ready()),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { GatewayAddresses = [address] });
        await BoundAsync(onehop, $"gateway/tcp/{address}:{TcpPort}");

        for (var i = 0; i < 40; i++)
        {
            using var client = await TcpClientHelpers.ConnectAsync(new IPEndPoint(address, TcpPort), Cancel);
            Assert.Equal($"c{i}", await client.EchoAsync($"c{i}", Cancel));
        }

        // 40 fair coin tosses: each side gets at least 8 but for a chance of about 1 in 50,000.
        Assert.Equal(40, first.Connections + second.Connections);
        Assert.InRange(first.Connections, 8, 32);
        Assert.Equal(0, never.Connections);
    }

    [Fact]
    public async Task A_tcproute_from_the_api_carries_connections_and_the_leader_writes_its_status()
    {
        // The API refuses loopback endpoints: pods with private addresses in a network namespace, serving HTTP, which the TCPRoute carries as bytes.
        var pods = await fixture.GetAsync(Cancel);
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        api.Create(KubeObjects.Service("web"));
        api.Create(KubeObjects.Slice("web", pods, ["web-1"]));
        api.Create(GatewayObjects.Class("onehop"));
        api.Create(new Gateway
        {
            Metadata = new V1ObjectMeta { Name = "edge", NamespaceProperty = "default" },
            Spec = new GatewaySpec { GatewayClassName = "onehop", Listeners = [new GatewayListener { Name = "tcp", Port = TcpPort, Protocol = "TCP" }] },
        });
        api.Create(new TcpRoute
        {
            Metadata = new V1ObjectMeta { Name = "echo", NamespaceProperty = "default" },
            Spec = new L4RouteSpec { ParentRefs = [new ParentReference { Name = "edge" }], Rules = [new L4RouteRule { BackendRefs = [new BackendReference { Name = "web", Port = 80 }] }] },
        });
        await using var onehop = await OneHopInstance.StartAsync(
            api.CreateClient(),
            Cancel,
            publishing: new StatusPublishingOptions(["203.0.113.21"], null, "default", "onehop-leader", "only")
            {
                LeaseDuration = TimeSpan.FromSeconds(3),
                RenewDeadline = TimeSpan.FromSeconds(2),
                RetryPeriod = TimeSpan.FromMilliseconds(300),
            },
            configure: o => o with { GatewayAddresses = [address] });
        await BoundAsync(onehop, $"gateway/tcp/{address}:{TcpPort}");

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://{address}:{TcpPort}/"), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("web-1", response.Headers.GetValues(OneHop.Core.Demo.DemoPod.PodHeader).Single());

        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(api.Get<TcpRoute>("echo")?.Status?.Parents is { Count: 1 } && api.Get<Gateway>("edge")?.Status?.Listeners is { Count: 1 }),
            TimeSpan.FromSeconds(10),
            "the status to be written",
            Cancel);
        var parent = Assert.Single(api.Get<TcpRoute>("echo")!.Status!.Parents!);
        Assert.Equal(GatewayApiNames.ControllerName, parent.ControllerName);
        Assert.Contains(parent.Conditions!, c => c is { Type: "Accepted", Status: "True", Reason: "Accepted" });
        Assert.Contains(parent.Conditions!, c => c is { Type: "ResolvedRefs", Status: "True" });
        var listener = Assert.Single(api.Get<Gateway>("edge")!.Status!.Listeners!);
        Assert.Equal(("tcp", 1, "TCPRoute"), (listener.Name, listener.AttachedRoutes, Assert.Single(listener.SupportedKinds!).Kind));
    }

    private const string GatewayYaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: onehop}
        spec: {controllerName: onehop.dev/gateway-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge}
        spec:
          gatewayClassName: onehop
          listeners:
          - {name: tcp, port: 15432, protocol: TCP}
          - {name: udp, port: 15353, protocol: UDP}
          - {name: tls, port: 18443, protocol: TLS, tls: {mode: Passthrough}}
        """;

    /// <summary>Waits until the data plane has bound these L4 listeners (Gateway listeners are bound when a snapshot has them).</summary>
    private static Task BoundAsync(OneHopInstance onehop, params string[] names) =>
        OneHopInstance.EventuallyAsync(() => Task.FromResult(names.All(onehop.Server.L4.EndPoints.ContainsKey)), TimeSpan.FromSeconds(10), $"{string.Join(", ", names)} to be bound", Cancel);

    private static async Task<string> AskAsync(Socket client, string question, CancellationToken cancellationToken)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(question), SocketFlags.None, cancellationToken);
        var buffer = new byte[512];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    /// <summary>A UDP pod answering each datagram with its name and the datagram; disposing the socket ends it.</summary>
    private static Socket UdpResponder(string name, out int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), 0));
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _ = Task.Run(async () =>
        {
            var buffer = new byte[512];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from);
                    await socket.SendToAsync(Encoding.ASCII.GetBytes($"{name} {Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes)}"), SocketFlags.None, received.RemoteEndPoint);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        });
        return socket;
    }
}
