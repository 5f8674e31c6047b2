using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Connections;

/// <summary>
/// TLS terminated by a proxy in front that sends PROXY protocol: its X-Forwarded-Proto or Forwarded proto= decides
/// redirects and what pods see, when the listener is told to believe it; nobody else's header does.
/// </summary>
public sealed class TrustedSchemeTests
{
    [Theory]
    [InlineData("x-forwarded-proto", "X-Forwarded-Proto: {0}")]
    [InlineData("forwarded", "Forwarded: for=203.0.113.7;proto={0}")]
    public async Task The_trusted_proxys_scheme_decides_redirects_and_reaches_pods(string schemeFrom, string headerFormat)
    {
        var ct = TestContext.Current.CancellationToken;
        var trusted = LoopbackAddresses.Next();
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await StartAsync(pods, trusted, $"schemeFrom: {schemeFrom}", ct);
        var port = onehop.Port("http");
        string Header(string scheme) => string.Format(System.Globalization.CultureInfo.InvariantCulture, headerFormat, scheme);

        var tlsAtClient = await SendAsync(port, trusted, "shop.example.org", Header("https"), ct);
        var plainAtClient = await SendAsync(port, trusted, "shop.example.org", Header("http"), ct);
        var forcedPlain = await SendAsync(port, trusted, "edge.example.org", Header("http"), ct);
        var forcedTls = await SendAsync(port, trusted, "edge.example.org", Header("https"), ct);
        var acme = await SendAsync(port, trusted, "edge.example.org", Header("http"), ct, "/.well-known/acme-challenge/token");
        var mutualTls = await SendAsync(port, trusted, "partner.example.org", Header("https"), ct);

        // Already HTTPS at the client: served, with HSTS, and the pod learns the client's scheme and public port.
        Assert.StartsWith("HTTP/1.1 200", tlsAtClient, StringComparison.Ordinal);
        Assert.Contains("Strict-Transport-Security: max-age=60", tlsAtClient, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-Proto: https\n", tlsAtClient, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-Port: 443\n", tlsAtClient, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 308", plainAtClient, StringComparison.Ordinal);
        Assert.Contains("Location: https://shop.example.org/headers\r\n", plainAtClient, StringComparison.OrdinalIgnoreCase);

        // force-ssl-redirect on a host with no spec.tls: TLS lives only in front.
        Assert.StartsWith("HTTP/1.1 308", forcedPlain, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", forcedTls, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-Proto: https\n", forcedTls, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 200", acme, StringComparison.Ordinal);

        // HTTPS only in front: OneHop never saw a client certificate, so a host that requires one refuses.
        Assert.StartsWith("HTTP/1.1 403", mutualTls, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_cannot_forge_its_scheme()
    {
        var ct = TestContext.Current.CancellationToken;
        var trusted = LoopbackAddresses.Next();
        var stranger = LoopbackAddresses.Next();
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await StartAsync(pods, trusted, "schemeFrom: x-forwarded-proto", ct);
        var port = onehop.Port("http");

        // Straight to OneHop (no PROXY header, so not the proxy): its header is replaced and decides nothing.
        var direct = await SendAsync(port, stranger, "shop.example.org", "X-Forwarded-Proto: https", ct, proxyHeader: false);
        var plainHost = await SendAsync(port, stranger, "app.example.org", "X-Forwarded-Proto: https\r\nForwarded: proto=https", ct, proxyHeader: false);

        // Through the trusted proxy, but the wrong family: a proxy that sets X-Forwarded-Proto passes Forwarded on as sent.
        var otherFamily = await SendAsync(port, trusted, "shop.example.org", "Forwarded: proto=https", ct);

        Assert.StartsWith("HTTP/1.1 308", direct, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", plainHost, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-Proto: http\n", plainHost, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"X-Forwarded-Port: {port}\n", plainHost, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("proto=https", plainHost, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 308", otherFamily, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_scheme_from_a_trusted_proxys_header_is_not_believed()
    {
        // An L4 proxy in front (PROXY protocol, TCP only) passes the client's own X-Forwarded-Proto on unchanged.
        var ct = TestContext.Current.CancellationToken;
        var trusted = LoopbackAddresses.Next();
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        await using var onehop = await StartAsync(pods, trusted, string.Empty, ct);

        var answer = await SendAsync(onehop.Port("http"), trusted, "shop.example.org", "X-Forwarded-Proto: https", ct);
        var plainHost = await SendAsync(onehop.Port("http"), trusted, "app.example.org", "X-Forwarded-Proto: https", ct);

        Assert.StartsWith("HTTP/1.1 308", answer, StringComparison.Ordinal);
        Assert.Contains("X-Forwarded-Proto: http\n", plainHost, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> SendAsync(int port, string source, string host, string headers, CancellationToken ct, string path = "/headers", bool proxyHeader = true)
    {
        using var connection = await RawConnection.OpenAsync(port, source, ct);
        var proxy = proxyHeader ? "PROXY TCP4 203.0.113.7 192.0.2.1 51234 443\r\n" : string.Empty;
        await connection.SendAsync($"{proxy}GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\nConnection: close\r\n\r\n", ct);
        return await connection.ReadToCloseAsync(ct);
    }

    private static Task<OneHopInstance> StartAsync(TestPods pods, string trusted, string schemeFrom, CancellationToken ct)
    {
        using var ca = new TestCertificates();
        using var clients = new TestCertificates("Partner CA");
        return OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = Yaml.DefaultClass,
                ["app.yaml"] = Yaml.Service("app", pods)
                    + Yaml.TlsIngress("shop", "shop.example.org", "shop-tls", "app", new Dictionary<string, string> { ["hsts"] = "max-age=60" })
                    + Yaml.Ingress("edge", ("edge.example.org", "/", "Prefix", "app"))
                        .Replace("  name: edge\n", "  name: edge\n  annotations: {onehop.dev/force-ssl-redirect: \"true\"}\n", StringComparison.Ordinal)
                    + Yaml.Ingress("app", ("app.example.org", "/", "Prefix", "app"))
                    + Yaml.TlsIngress("partner", "partner.example.org", "shop-tls", "app", new Dictionary<string, string> { ["client-ca-secret"] = "partner-ca" }),
                ["secret.yaml"] = TestCertificates.Secret("shop-tls", ca.Issue("shop.example.org", "partner.example.org"))
                    + TestCertificates.Secret("partner-ca", ca.Issue("unused.example.org"), ca: clients.CaPem),
            },
            ct,
            $$"""
            listeners:
              - name: behind-proxy
                address: 127.0.0.1:0
                proxyProtocol: {trustedCidrs: ["{{trusted}}/32"], {{schemeFrom}}}
              - name: https
                address: 127.0.0.1:0
                protocol: https
            """);
    }
}
