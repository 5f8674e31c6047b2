using System.Buffers.Binary;
using System.Net;
using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Connections;

/// <summary>
/// PROXY protocol behind a firewall or HAProxy: accepted only from trusted addresses, and then the client address it
/// carries is the one pods see.
/// </summary>
public sealed class ProxyProtocolTests
{
    private const string Request = "GET /headers HTTP/1.1\r\nHost: app.example.org\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task V1_and_v2_headers_from_a_trusted_address_carry_the_client_address_to_the_pod()
    {
        var ct = TestContext.Current.CancellationToken;
        var trusted = LoopbackAddresses.Next();
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await StartAsync(pods, trusted, ct);
        var port = onehop.Port("http");

        using var v1 = await RawConnection.OpenAsync(port, trusted, ct);
        await v1.SendAsync("PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n" + Request, ct);
        var v1Answer = await v1.ReadToCloseAsync(ct);
        using var v2 = await RawConnection.OpenAsync(port, trusted, ct);
        await v2.SendAsync([.. V2Header(IPAddress.Parse("2001:db8::42"), 40000, IPAddress.Parse("2001:db8::1"), 443), .. Encoding.ASCII.GetBytes(Request)], ct);
        var v2Answer = await v2.ReadToCloseAsync(ct);

        Assert.StartsWith("HTTP/1.1 200", v1Answer, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-For: 203.0.113.7\n", v1Answer, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 200", v2Answer, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-For: 2001:db8::42\n", v2Answer, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_header_from_an_untrusted_address_is_refused_and_a_trusted_peer_must_send_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var trusted = LoopbackAddresses.Next();
        var stranger = LoopbackAddresses.Next();
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await StartAsync(pods, trusted, ct);
        var port = onehop.Port("http");

        using var forged = await RawConnection.OpenAsync(port, stranger, ct);
        await forged.SendAsync("PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n" + Request, ct);
        var forgedAnswer = await forged.ReadToCloseAsync(ct);
        using var missing = await RawConnection.OpenAsync(port, trusted, ct);
        await missing.SendAsync(Request, ct);
        var missingAnswer = await missing.ReadToCloseAsync(ct);
        using var direct = await RawConnection.OpenAsync(port, stranger, ct);
        await direct.SendAsync(Request, ct);
        var directAnswer = await direct.ReadToCloseAsync(ct);

        Assert.Equal(string.Empty, forgedAnswer);
        Assert.Equal(string.Empty, missingAnswer);
        Assert.StartsWith("HTTP/1.1 200", directAnswer, StringComparison.Ordinal);
        Assert.Contains($"X-Forwarded-For: {stranger}\n", directAnswer, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<OneHopInstance> StartAsync(TestPods pods, string trusted, CancellationToken ct) =>
        OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = Yaml.DefaultClass,
                ["app.yaml"] = Yaml.Service("app", pods) + Yaml.Ingress("app", "/", "app"),
            },
            ct,
            $"""
            listeners:
              - name: behind-haproxy
                address: 127.0.0.1:0
                proxyProtocol:
                  trustedCidrs: ["{trusted}/32"]
            """);

    /// <summary>A PROXY v2 header (PROXY command, TCP over IPv6), as HAProxy's <c>send-proxy-v2</c> writes it.</summary>
    private static byte[] V2Header(IPAddress source, ushort sourcePort, IPAddress destination, ushort destinationPort)
    {
        byte[] signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];
        var header = new byte[16 + 36];
        signature.CopyTo(header, 0);
        header[12] = 0x21; // version 2, PROXY
        header[13] = 0x21; // AF_INET6, STREAM
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), 36);
        source.GetAddressBytes().CopyTo(header, 16);
        destination.GetAddressBytes().CopyTo(header, 32);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(48), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(50), destinationPort);
        return header;
    }
}
