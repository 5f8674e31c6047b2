using OneHop.Core.Tls;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>SNI picks the certificate (exact, then wildcard, then the default); the Host header picks the route.</summary>
public sealed class SniTests
{
    [Fact]
    public async Task Exact_and_wildcard_hosts_get_their_certificates_and_unknown_names_the_default()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, ct);
        await using var wild = await TestPods.StartAsync("wild", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(ca, foo, wild), ct, https: true);
        using var client = ca.Client(onehop.Port("https"));

        using var exact = await client.Http.GetAsync(client.Url("foo.bar.com"), ct);
        var exactCertificate = client.LastServerCertificate!;
        using var wildcard = await client.Http.GetAsync(client.Url("www.example.com"), ct);
        var wildcardCertificate = client.LastServerCertificate!;
        var unknown = await Assert.ThrowsAsync<HttpRequestException>(() => client.Http.GetAsync(client.Url("unknown.test"), ct));

        Assert.Equal("foo-0", Pod(exact));
        Assert.Equal("CN=foo.bar.com", exactCertificate.Subject);
        Assert.Equal("wild-0", Pod(wildcard));
        Assert.Equal("CN=*.example.com", wildcardCertificate.Subject);
        Assert.Equal(DefaultCertificate.Subject, client.LastServerCertificate!.Subject);
        Assert.Contains("SSL", unknown.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Openssl_verifies_the_host_name_and_the_host_header_not_the_sni_picks_the_route()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, ct);
        await using var wild = await TestPods.StartAsync("wild", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(ca, foo, wild), ct, https: true);
        var caFile = Path.Combine(onehop.Directory, "ca.pem");
        await File.WriteAllTextAsync(caFile, ca.CaPem, ct);
        var port = onehop.Port("https");

        var verified = await OpensslAsync(port, "foo.bar.com", "foo.bar.com", caFile, "GET / HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n", ct);
        var mismatch = await OpensslAsync(port, "foo.bar.com", "other.bar.com", caFile, null, ct);
        var noSni = await OpensslAsync(port, null, "foo.bar.com", caFile, null, ct);

        Assert.Contains("subject=CN=foo.bar.com", Normalize(verified.Output));
        Assert.Contains("Verify return code: 0 (ok)", verified.Output);
        Assert.Contains("X-Pod: wild-0", verified.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Verify return code: 62 (hostname mismatch)", mismatch.Output);
        Assert.Contains("OneHop default certificate", noSni.Output);
    }

    [Fact]
    public async Task Conformance_host_rules_tls_foo_bar_com_is_served_with_the_secrets_certificate()
    {
        // The ingress-controller conformance "host rules" TLS scenario: an Ingress for foo.bar.com with a TLS Secret,
        // requested as https://foo.bar.com by curl trusting only the test CA, answered by the Ingress's service.
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("echo", 1, ct);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["echo.yaml"] = Yaml.Service("echo", pods),
            ["secret.yaml"] = TestCertificates.Secret("foo-tls", ca.Issue("foo.bar.com")),
            ["ingress.yaml"] = Yaml.TlsIngress("host-rules", "foo.bar.com", "foo-tls", "echo"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true);
        var caFile = Path.Combine(onehop.Directory, "ca.pem");
        await File.WriteAllTextAsync(caFile, ca.CaPem, ct);
        var port = onehop.Port("https");

        var (code, output, error) = await ExternalTool.RunAsync(
            "curl",
            ["-sS", "-i", "--cacert", caFile, "--resolve", $"foo.bar.com:{port}:127.0.0.1", $"https://foo.bar.com:{port}/conformance"],
            null,
            ct);

        Assert.True(code == 0, $"curl failed ({code}): {error}");
        Assert.StartsWith("HTTP/2 200", output, StringComparison.Ordinal);
        Assert.Contains("x-pod: echo-0", output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// tls.rejectUnknownNames (ingress-nginx's ssl-reject-handshake): a name with no certificate, or no SNI at all, gets
    /// no handshake instead of the default certificate; exact and wildcard names are served; the ConfigMap's key does the
    /// same, live.
    /// </summary>
    [Fact]
    public async Task Rejecting_unknown_names_refuses_their_handshake_and_serves_the_known_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        var map = new Core.State.ObjectKey("ingress-nginx", "ingress-nginx-controller");
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, ct);
        await using var wild = await TestPods.StartAsync("wild", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(ca, foo, wild), ct, config: "tls: {rejectUnknownNames: true}\n", https: true, configure: o => o with { NginxConfigMap = map });
        var port = onehop.Port("https");

        Assert.Contains("CN = foo.bar.com", (await HandshakeAsync(port, "foo.bar.com", ct)).Output, StringComparison.Ordinal);
        Assert.Contains("CN = *.example.com", (await HandshakeAsync(port, "www.example.com", ct)).Output, StringComparison.Ordinal);
        var unknown = await HandshakeAsync(port, "unknown.test", ct);
        Assert.DoesNotContain("BEGIN CERTIFICATE", unknown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(DefaultCertificate.Subject, unknown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN CERTIFICATE", (await HandshakeAsync(port, null, ct)).Output, StringComparison.Ordinal);

        // Without the config file's setting, ingress-nginx's key turns it on, live.
        await onehop.WriteConfigAsync("tls: {rejectUnknownNames: false}\n", ct);
        await OneHopInstance.EventuallyAsync(async () => (await HandshakeAsync(port, "unknown.test", ct)).Output.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the default certificate again", ct);
        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(map, "ssl-reject-handshake: \"true\""), ct);
        await OneHopInstance.EventuallyAsync(async () => !(await HandshakeAsync(port, "unknown.test", ct)).Output.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "unknown names refused by the ConfigMap", ct);
    }

    /// <summary>What <c>openssl s_client</c> prints of a handshake for <paramref name="serverName"/> (none: no SNI).</summary>
    private static Task<(int Code, string Output, string Error)> HandshakeAsync(int port, string? serverName, CancellationToken ct) =>
        ExternalTool.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", .. serverName is null ? (string[])["-noservername"] : ["-servername", serverName]], input: null, ct);

    internal static Dictionary<string, string> Manifests(TestCertificates ca, TestPods foo, TestPods wild) => new()
    {
        ["class.yaml"] = Yaml.DefaultClass,
        ["services.yaml"] = Yaml.Service("foo", foo) + Yaml.Service("wild", wild),
        ["secrets.yaml"] = TestCertificates.Secret("foo-tls", ca.Issue("foo.bar.com")) + TestCertificates.Secret("wild-tls", ca.Issue("*.example.com")),
        ["ingresses.yaml"] = Yaml.TlsIngress("foo", "foo.bar.com", "foo-tls", "foo") + Yaml.TlsIngress("wild", "*.example.com", "wild-tls", "wild"),
    };

    private static string? Pod(HttpResponseMessage response) =>
        response.Headers.TryGetValues(Core.Demo.DemoPod.PodHeader, out var values) ? values.Single() : null;

    // openssl 3 prints "subject=CN = foo.bar.com"; older ones "subject=/CN=foo.bar.com".
    private static string Normalize(string output) => output.Replace("CN = ", "CN=", StringComparison.Ordinal).Replace("=/CN", "=CN", StringComparison.Ordinal);

    private static Task<(int Code, string Output, string Error)> OpensslAsync(int port, string? sni, string verifyHost, string caFile, string? request, CancellationToken ct)
    {
        List<string> args = ["s_client", "-connect", $"127.0.0.1:{port}", "-CAfile", caFile, "-verify_hostname", verifyHost, "-alpn", "http/1.1"];
        args.AddRange(sni is null ? ["-noservername"] : ["-servername", sni]);
        if (request is not null)
        {
            args.Add("-ign_eof");
        }

        return ExternalTool.RunAsync("openssl", args, request ?? string.Empty, ct);
    }
}
