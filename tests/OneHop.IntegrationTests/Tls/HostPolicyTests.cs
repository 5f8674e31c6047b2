using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>Per-host TLS behaviour: HTTP→HTTPS redirect, HSTS, client certificates against a CA bundle.</summary>
public sealed class HostPolicyTests
{
    [Fact]
    public async Task Plain_http_is_redirected_with_308_and_https_answers_carry_hsts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("shop", 1, ct);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods)
                + Yaml.TlsIngress("shop", "shop.example.org", "shop-tls", "shop", new Dictionary<string, string> { ["hsts"] = "max-age=31536000; includeSubDomains" })
                + Yaml.TlsIngress("plain", "plain.example.org", "shop-tls", "shop", new Dictionary<string, string> { ["ssl-redirect"] = "false" }),
            ["secret.yaml"] = TestCertificates.Secret("shop-tls", ca.Issue("shop.example.org", "plain.example.org")),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true, handler: new HttpClientHandler { AllowAutoRedirect = false });
        using var client = ca.Client(onehop.Port("https"));

        using var redirect = await onehop.Proxy.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/cart?item=7") { Headers = { Host = "shop.example.org" } }, ct);
        using var secure = await client.Http.GetAsync(client.Url("shop.example.org", "/cart"), ct);
        var (plainStatus, plainPod, _) = await onehop.GetAsync("/", ct, host: "plain.example.org");

        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal("https://shop.example.org/cart?item=7", redirect.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", secure.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False(redirect.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(200, plainStatus);
        Assert.Equal("shop-0", plainPod);
    }

    [Fact]
    public async Task A_host_with_a_client_ca_admits_only_certificates_it_issued()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        using var clients = new TestCertificates("Partner CA");
        using var stranger = new TestCertificates("Stranger CA");
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["api.yaml"] = Yaml.Service("api", pods)
                + Yaml.TlsIngress("partner", "partner.example.org", "partner-tls", "api", new Dictionary<string, string> { ["client-ca-secret"] = "partner-ca" })
                + Yaml.TlsIngress("public", "www.example.org", "partner-tls", "api"),
            ["secrets.yaml"] = TestCertificates.Secret("partner-tls", ca.Issue("partner.example.org", "www.example.org"))
                + TestCertificates.Secret("partner-ca", ca.Issue("unused.example.org"), ca: clients.CaPem),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true);
        var port = onehop.Port("https");
        using var trusted = ca.Client(port, clients.IssueClient("partner-1"));
        using var untrusted = ca.Client(port, stranger.IssueClient("intruder"));
        using var anonymous = ca.Client(port);

        using var admitted = await trusted.Http.GetAsync(trusted.Url("partner.example.org"), ct);
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusted.Http.GetAsync(untrusted.Url("partner.example.org"), ct));
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Http.GetAsync(anonymous.Url("partner.example.org"), ct));

        // A handshake for the public host (no client certificate asked) must not open the partner host's routes.
        // openssl, since .NET's client takes its SNI from the Host header.
        using var publicAnswer = await anonymous.Http.GetAsync(anonymous.Url("www.example.org"), ct);
        var sneaky = await ExternalTool.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "www.example.org", "-alpn", "http/1.1", "-ign_eof"],
            "GET / HTTP/1.1\r\nHost: partner.example.org\r\nConnection: close\r\n\r\n",
            ct);

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, publicAnswer.StatusCode);
        Assert.Contains("HTTP/1.1 403", sneaky.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_ca_host_covered_only_by_a_wildcard_certificate_still_asks_for_client_certificates()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        using var clients = new TestCertificates("Partner CA");
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["api.yaml"] = Yaml.Service("api", pods)
                + Yaml.TlsIngress("wild", "*.example.org", "wild-tls", "api")
                + Yaml.Ingress("partner", ("partner.example.org", "/", "Prefix", "api"))
                    .Replace("  name: partner\n", "  name: partner\n  annotations: {onehop.dev/client-ca-secret: partner-ca}\n", StringComparison.Ordinal)
                    .Replace("spec:\n", "spec:\n  tls: [{hosts: [partner.example.org]}]\n", StringComparison.Ordinal),
            ["secrets.yaml"] = TestCertificates.Secret("wild-tls", ca.Issue("*.example.org"))
                + TestCertificates.Secret("partner-ca", ca.Issue("unused.example.org"), ca: clients.CaPem),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true);
        using var trusted = ca.Client(onehop.Port("https"), clients.IssueClient("partner-1"));
        using var anonymous = ca.Client(onehop.Port("https"));

        using var admitted = await trusted.Http.GetAsync(trusted.Url("partner.example.org"), ct);
        using var other = await anonymous.Http.GetAsync(anonymous.Url("www.example.org"), ct);
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.Http.GetAsync(anonymous.Url("partner.example.org"), ct));

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
