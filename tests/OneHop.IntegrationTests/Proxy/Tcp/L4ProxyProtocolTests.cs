using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>
/// PROXY protocol on L4 listeners, both ways: v2 written to pods byte for byte as HAProxy's spec lays it out, and
/// headers from trusted peers in front (v1 text, v2 binary, before a ClientHello on tls-passthrough) read and passed
/// on as the client's address; a trusted peer without one is refused, and an untrusted client cannot forge one.
/// </summary>
public sealed class L4ProxyProtocolTests
{
    private const string TrustingConfig = """
        listeners:
          - name: http
            address: 127.0.0.1:0
          - name: echo
            address: 127.0.0.1:0
            protocol: tcp
            service: default/echo:80
            proxyProtocolToBackend: v1
            proxyProtocol:
              trustedCidrs: [127.0.0.1/32]
        """;

    [Fact]
    public async Task The_pod_gets_a_proxy_protocol_v2_header_laid_out_as_the_spec_says_before_the_client_bytes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("echo-0");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready()) }, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: echo-v2
                address: 127.0.0.1:0
                protocol: tcp
                service: default/echo:80
                proxyProtocolToBackend: v2
            """);
        var listener = onehop.Server.L4.EndPoints["echo-v2"];

        using var client = await TcpClientHelpers.ConnectAsync(listener, ct);
        var local = (IPEndPoint)client.LocalEndPoint!;
        await client.SendAsync("data", ct);

        var expected = V2Header(local, listener);
        var echoed = await ReadBytesAsync(client, expected.Length + 4, ct);
        Assert.Equal([.. expected, .. "data"u8.ToArray()], echoed);
    }

    [Fact]
    public async Task A_trusted_peers_v1_and_v2_headers_are_read_and_the_pod_is_told_the_client_they_name()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("echo-0");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready()) }, ct, TrustingConfig);
        var listener = onehop.Server.L4.EndPoints["echo"];

        using (var v1 = await TcpClientHelpers.ConnectAsync(listener, ct))
        {
            await v1.SendAsync("PROXY TCP4 203.0.113.7 198.51.100.1 40000 5432\r\nhello", ct);
            const string told = "PROXY TCP4 203.0.113.7 198.51.100.1 40000 5432\r\n";
            Assert.Equal(told + "hello", await v1.ReadAsync(told.Length + 5, ct));
        }

        using (var v2 = await TcpClientHelpers.ConnectAsync(listener, ct))
        {
            var header = V2Header(IPEndPoint.Parse("192.0.2.9:50000"), IPEndPoint.Parse("198.51.100.2:6379"));
            await v2.SendAsync(header.Concat("again"u8.ToArray()).ToArray(), SocketFlags.None, ct);
            const string told = "PROXY TCP4 192.0.2.9 198.51.100.2 50000 6379\r\n";
            Assert.Equal(told + "again", await v2.ReadAsync(told.Length + 5, ct));
        }
    }

    [Fact]
    public async Task A_trusted_peer_without_a_header_is_refused_and_counted_and_an_untrusted_client_cannot_forge_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("echo-0");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready()) }, ct, TrustingConfig);
        var listener = onehop.Server.L4.EndPoints["echo"];

        using (var bare = await TcpClientHelpers.ConnectAsync(listener, ct))
        {
            await bare.SendAsync("hello", ct);
            Assert.True(await bare.ClosedWithinAsync(TimeSpan.FromSeconds(5), ct), "a trusted peer must send a PROXY header");
        }

        Assert.Equal(0, pod.Connections);
        var metrics = await onehop.Admin.GetStringAsync("/metrics", ct);
        Assert.Contains("onehop_l4_refused_total{listener=\"echo\",reason=\"proxy_protocol\"} 1", metrics, StringComparison.Ordinal);

        // From 127.0.0.x other than .1 the peer is not trusted: its "header" is just bytes, and the pod is told the real address.
        var untrustedAddress = IPAddress.Parse(LoopbackAddresses.Next());
        using var untrusted = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        untrusted.Bind(new IPEndPoint(untrustedAddress, 0));
        await untrusted.ConnectAsync(listener, ct);
        var forged = "PROXY TCP4 203.0.113.7 198.51.100.1 40000 5432\r\n";
        await untrusted.SendAsync(forged, ct);
        var real = $"PROXY TCP4 {untrustedAddress} {listener.Address} {((IPEndPoint)untrusted.LocalEndPoint!).Port} {listener.Port}\r\n";
        Assert.Equal(real + forged, await untrusted.ReadAsync(real.Length + forged.Length, ct));
    }

    [Fact]
    public async Task A_tls_passthrough_listener_reads_a_trusted_header_then_routes_the_client_hello_by_sni()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var db = TlsPod.Start("db-0", ca.Issue("db.example.com"));
        await using var other = TlsPod.Start("other-0", ca.Issue("other.example.com"));
        var manifests = new Dictionary<string, string>
        {
            ["db.yaml"] = Yaml.Service("db", db.Port, db.Ready()),
            ["other.yaml"] = Yaml.Service("other", other.Port, other.Ready()),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: passthrough
                address: 127.0.0.1:0
                protocol: tls-passthrough
                proxyProtocol:
                  trustedCidrs: [127.0.0.0/8]
                routes:
                  - { hosts: [db.example.com], service: default/db:80 }
                  - { service: default/other:80 }
            """);
        var endpoint = onehop.Server.L4.EndPoints["passthrough"];
        var header = Encoding.ASCII.GetBytes("PROXY TCP4 203.0.113.7 198.51.100.1 40000 443\r\n");

        Assert.Equal("db-0 db.example.com", (await TlsPod.AskAsync(endpoint, "db.example.com", ca.Ca, ct, header)).Greeting);
        Assert.Equal("other-0 other.example.com", (await TlsPod.AskAsync(endpoint, "other.example.com", ca.Ca, ct, header)).Greeting);
    }

    /// <summary>A v2 PROXY header for TCP over IPv4, laid out by hand from HAProxy's spec (section 2.2).</summary>
    private static byte[] V2Header(IPEndPoint source, IPEndPoint destination)
    {
        var header = new byte[28];
        "\r\n\r\n\0\r\nQUIT\n"u8.CopyTo(header);
        header[12] = 0x21; // version 2, command PROXY
        header[13] = 0x11; // TCP over IPv4
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), 12);
        source.Address.GetAddressBytes().CopyTo(header, 16);
        destination.Address.GetAddressBytes().CopyTo(header, 20);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(24), (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(26), (ushort)destination.Port);
        return header;
    }

    private static async Task<byte[]> ReadBytesAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (read < count && await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token) is var n and > 0)
        {
            read += n;
        }

        return buffer[..read];
    }
}
