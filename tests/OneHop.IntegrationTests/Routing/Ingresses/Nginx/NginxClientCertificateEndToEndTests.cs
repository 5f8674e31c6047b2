using System.Net;
using System.Text;
using OneHop.Cli;
using OneHop.Core.Proxy.Http;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.Ingresses.Nginx.NginxManifests;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>auth-tls-*</c> through a real OneHop adopting the <c>nginx</c> class: real TLS clients with and
/// without a client certificate from a test CA, to a demo pod that answers the headers it got.
/// </summary>
public sealed class NginxClientCertificateEndToEndTests
{
    private const string Host = "mtls.bar.com";
    private const string OptionalHost = "optional.bar.com";

    [Fact]
    public async Task Only_a_certificate_of_the_auth_tls_secret_ca_reaches_the_pod_and_the_others_get_nginx_s_400s()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret"], ct);
        using var trusted = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-1"));
        using var stranger = setup.Server.Client(onehop.Port("https"), setup.Stranger.IssueClient("partner-1"));
        using var anonymous = setup.Server.Client(onehop.Port("https"));

        using var admitted = await trusted.Http.GetAsync(trusted.Url(Host), ct);
        using var badCertificate = await stranger.Http.GetAsync(stranger.Url(Host), ct);
        using var noCertificate = await anonymous.Http.GetAsync(anonymous.Url(Host), ct);

        // nginx's ssl_verify_client on completes the handshake and answers its 495 and 496 as 400s; no pod sees them.
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCertificate.StatusCode);
        Assert.Equal("400 Bad Request: The SSL certificate error\n", await badCertificate.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.BadRequest, noCertificate.StatusCode);
        Assert.Equal("400 Bad Request: No required SSL certificate was sent\n", await noCertificate.Content.ReadAsStringAsync(ct));
        Assert.Equal(1, pods.All.Sum(p => p.Requests));
    }

    [Fact]
    public async Task A_certificate_below_an_intermediate_the_client_sends_reaches_the_pod_on_every_request()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        using var intermediate = setup.Clients.Intermediate("Partner Issuing CA");
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret"], ct);
        using var sending = setup.Server.Client(onehop.Port("https"), intermediate.IssueClient("partner-1"), intermediates: [intermediate.Ca]);
        using var notSending = setup.Server.Client(onehop.Port("https"), intermediate.IssueClient("partner-2"));

        // ca.crt holds only the root: the intermediate the client sends completes the chain, at the handshake and for
        // each request of the kept-alive connection after it.
        for (var i = 0; i < 3; i++)
        {
            using var answer = await sending.Http.GetAsync(sending.Url(Host), ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        Assert.Equal(1, sending.Connections);
        using var refused = await notSending.Http.GetAsync(notSending.Url(Host), ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Verify_depth_counts_the_intermediates_below_ca_crt_as_nginx_does()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        using var first = setup.Clients.Intermediate("Partner Regional CA");
        using var second = first.Intermediate("Partner Issuing CA");
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var byDefault = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret"], ct);
        await using var deeper = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-verify-depth: \"2\""], ct);
        using var certificate = second.IssueClient("partner-1");
        using var refused = setup.Server.Client(byDefault.Port("https"), certificate, intermediates: [second.Ca, first.Ca]);
        using var admitted = setup.Server.Client(deeper.Port("https"), certificate, intermediates: [second.Ca, first.Ca]);

        using var answer = await admitted.Http.GetAsync(admitted.Url(Host), ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var tooDeep = await refused.Http.GetAsync(refused.Url(Host), ct); // depth 1, two intermediates
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
    }

    [Fact]
    public async Task Optional_lets_a_client_without_a_certificate_through_and_answers_400_to_a_bad_one()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-verify-client: optional"], ct);
        using var trusted = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-1"));
        using var stranger = setup.Server.Client(onehop.Port("https"), setup.Stranger.IssueClient("partner-1"));
        using var anonymous = setup.Server.Client(onehop.Port("https"));

        var admitted = await HeadersAsync(trusted, ct);
        var withoutCertificate = await HeadersAsync(anonymous, ct);
        using var refused = await stranger.Http.GetAsync(stranger.Url(Host), ct);

        Assert.Equal(["SUCCESS"], admitted["ssl-client-verify"]);
        Assert.Equal(["NONE"], withoutCertificate["ssl-client-verify"]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode); // nginx: 400 The SSL certificate error
    }

    [Fact]
    public async Task Optional_no_ca_tells_the_pod_why_a_certificate_of_an_unknown_ca_failed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-verify-client: optional_no_ca", "auth-tls-pass-certificate-to-upstream: \"true\""], ct);
        using var certificate = setup.Stranger.IssueClient("partner-9");
        using var stranger = setup.Server.Client(onehop.Port("https"), certificate);
        using var trusted = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-1"));
        using var anonymous = setup.Server.Client(onehop.Port("https"));

        var unknown = await HeadersAsync(stranger, ct);
        var admitted = await HeadersAsync(trusted, ct);
        var withoutCertificate = await HeadersAsync(anonymous, ct);

        // The pod judges it: nginx's $ssl_client_verify, the names and the certificate, as for a verified one.
        Assert.Equal(["FAILED:unable to get local issuer certificate"], unknown["ssl-client-verify"]);
        Assert.Equal(["CN=partner-9"], unknown["ssl-client-subject-dn"]);
        Assert.Equal(["CN=Stranger CA"], unknown["ssl-client-issuer-dn"]);
        Assert.Equal(certificate.ExportCertificatePem() + "\n", Uri.UnescapeDataString(Assert.Single(unknown["ssl-client-cert"])));
        Assert.Equal(["SUCCESS"], admitted["ssl-client-verify"]);
        Assert.Equal(["NONE"], withoutCertificate["ssl-client-verify"]);
    }

    [Fact]
    public async Task Error_page_redirects_a_client_refused_for_its_certificate()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-error-page: https://errors.bar.com/error-cert.html"], ct);
        using var trusted = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-1"), followRedirects: false);
        using var stranger = setup.Server.Client(onehop.Port("https"), setup.Stranger.IssueClient("partner-1"), followRedirects: false);
        using var anonymous = setup.Server.Client(onehop.Port("https"), followRedirects: false);

        using var admitted = await trusted.Http.GetAsync(trusted.Url(Host), ct);
        using var strangerAnswer = await stranger.Http.GetAsync(stranger.Url(Host), ct);
        using var anonymousAnswer = await anonymous.Http.GetAsync(anonymous.Url(Host), ct);

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        foreach (var refused in (HttpResponseMessage[])[strangerAnswer, anonymousAnswer])
        {
            Assert.Equal(HttpStatusCode.Found, refused.StatusCode); // nginx's error_page 495 496 = URL
            Assert.Equal("https://errors.bar.com/error-cert.html", refused.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task A_handshake_for_an_optional_host_does_not_dodge_the_certificate_another_host_requires()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = IngressClass,
                ["api.yaml"] = Yaml.Service("api", pods) + IngressYaml(["auth-tls-secret: default/ca-secret"]) + "\n" + IngressYaml(["auth-tls-secret: default/ca-secret", "auth-tls-verify-client: optional"], OptionalHost),
                ["secrets.yaml"] = TestCertificates.Secret("mtls-tls", setup.Server.Issue(Host, OptionalHost)) + CaSecret(setup.Clients),
            },
            ct,
            https: true,
            configure: o => o with { AdoptIngressNginx = true });

        // The optional host's handshake lets a client without a certificate in; the Host it then names decides.
        Assert.Equal(200, await StatusAsync(setup, onehop.Port("https"), OptionalHost, OptionalHost, ct));
        Assert.Equal(400, await StatusAsync(setup, onehop.Port("https"), OptionalHost, Host, ct));
        Assert.Equal(400, await StatusAsync(setup, onehop.Port("https"), Host, Host, ct)); // its own handshake lets it in too, as nginx's
    }

    [Fact]
    public async Task Verify_client_off_asks_for_no_certificate()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-verify-client: \"off\""], ct);
        using var anonymous = setup.Server.Client(onehop.Port("https"));

        using var answer = await anonymous.Http.GetAsync(anonymous.Url(Host), ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task Match_cn_admits_the_subjects_it_matches_and_answers_403_to_the_others()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-match-cn: \"CN=(partner-1|partner-2)\""], ct);
        using var one = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-1"));
        using var two = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-2"));
        using var three = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-3"));

        using var first = await one.Http.GetAsync(one.Url(Host), ct);
        using var second = await two.Http.GetAsync(two.Url(Host), ct);
        using var third = await three.Http.GetAsync(three.Url(Host), ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, third.StatusCode);
        Assert.Equal("403 Forbidden: client certificate unauthorized\n", await third.Content.ReadAsStringAsync(ct));
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task The_pod_gets_the_ssl_client_headers_on_both_forwarders(string forwarder)
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-pass-certificate-to-upstream: \"true\""], ct, forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean);
        using var certificate = setup.Clients.IssueClient("partner-1");
        using var client = setup.Server.Client(onehop.Port("https"), certificate);

        var headers = await HeadersAsync(client, ct);

        Assert.Equal(["SUCCESS"], headers["ssl-client-verify"]); // the client's forged copies replaced, not added to
        Assert.Equal(["CN=partner-1"], headers["ssl-client-subject-dn"]);
        Assert.Equal(["CN=Partner CA"], headers["ssl-client-issuer-dn"]);
        var sent = Assert.Single(headers["ssl-client-cert"]);
        Assert.StartsWith("-----BEGIN%20CERTIFICATE-----%0A", sent, StringComparison.Ordinal);
        Assert.Equal(certificate.ExportCertificatePem() + "\n", Uri.UnescapeDataString(sent));
    }

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    public async Task Without_a_verified_certificate_the_pod_gets_none_and_never_the_client_s_own_headers(string forwarder)
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-verify-client: \"off\"", "auth-tls-pass-certificate-to-upstream: \"true\""], ct, forwarder == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean);
        using var client = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-1"));

        var headers = await HeadersAsync(client, ct);

        Assert.Equal(["NONE"], headers["ssl-client-verify"]);
        Assert.False(headers.Contains("ssl-client-subject-dn"));
        Assert.False(headers.Contains("ssl-client-issuer-dn"));
        Assert.False(headers.Contains("ssl-client-cert"));
    }

    [Fact]
    public async Task Without_pass_certificate_the_pod_gets_the_names_but_not_the_certificate()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret"], ct);
        using var client = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-1"));

        var headers = await HeadersAsync(client, ct);

        Assert.Equal(["SUCCESS"], headers["ssl-client-verify"]);
        Assert.Equal(["CN=partner-1"], headers["ssl-client-subject-dn"]);
        Assert.False(headers.Contains("ssl-client-cert"));
    }

    [Fact]
    public async Task A_bad_value_is_reported_in_status_and_validate_and_the_ingress_keeps_its_last_good_version()
    {
        var ct = TestContext.Current.CancellationToken;
        using var setup = new Certificates();
        await using var pods = await TestPods.StartAsync("api", 1, ct);
        await using var onehop = await StartAsync(setup, pods, ["auth-tls-secret: default/ca-secret", "auth-tls-match-cn: CN=partner-1"], ct);
        using var partner = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-1"));
        using var other = setup.Server.Client(onehop.Port("https"), setup.Clients.IssueClient("partner-2"));
        using var anonymous = setup.Server.Client(onehop.Port("https"));

        // maybe is no verify-client value; a Secret of another namespace is another tenant's CA.
        await onehop.WriteManifestAsync("api.yaml", Yaml.Service("api", pods) + IngressYaml(["auth-tls-secret: other/ca-secret", "auth-tls-verify-client: maybe"]), ct);
        await OneHopInstance.EventuallyAsync(
            async () => Reported(await onehop.StatusAsync(ct), "auth-tls-verify-client", "'maybe' is not on, off, optional or optional_no_ca")
                && Reported(await onehop.StatusAsync(ct), "auth-tls-secret", "Secret other/ca-secret is in another namespace"),
            TimeSpan.FromSeconds(10),
            "both annotations reported in /api/status",
            ct);
        using var output = new StringWriter();
        var exit = await OneHopCli.InvokeAsync(["validate", "--adopt-ingress-nginx", "--manifests", Path.GetDirectoryName(onehop.ManifestPath("api.yaml"))!], output, output);

        using var admitted = await partner.Http.GetAsync(partner.Url(Host), ct);
        using var refused = await other.Http.GetAsync(other.Url(Host), ct);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode); // the last good match-cn still holds
        using var withoutCertificate = await anonymous.Http.GetAsync(anonymous.Url(Host), ct);
        Assert.Equal(HttpStatusCode.BadRequest, withoutCertificate.StatusCode); // and its verify-client on
        Assert.Equal(1, exit);
        Assert.Contains("Ingress default/mtls metadata.annotations[nginx.ingress.kubernetes.io/auth-tls-verify-client]: 'maybe' is not on, off, optional or optional_no_ca", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Ingress default/mtls metadata.annotations[nginx.ingress.kubernetes.io/auth-tls-secret]: Secret other/ca-secret is in another namespace", output.ToString(), StringComparison.Ordinal);
    }

    private static bool Reported(System.Text.Json.JsonElement status, string annotation, string text) =>
        status.GetProperty("diagnostics").EnumerateArray().Any(d =>
            d.GetProperty("code").GetString() == "InvalidAnnotation"
            && d.GetProperty("severity").GetString() == "Error"
            && (d.TryGetProperty("field", out var f) ? f.GetString() : null) == $"metadata.annotations[nginx.ingress.kubernetes.io/{annotation}]"
            && d.GetProperty("object").GetProperty("name").GetString() == "mtls"
            && d.GetProperty("message").GetString()!.Contains(text, StringComparison.Ordinal));

    /// <summary>The headers the pod got for a request that carries forged copies of every ssl-client-* header.</summary>
    private static async Task<ILookup<string, string>> HeadersAsync(TestCertificates.TlsClient client, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, client.Url(Host, "/headers"));
        foreach (var name in (string[])["ssl-client-verify", "ssl-client-subject-dn", "ssl-client-issuer-dn", "ssl-client-cert"])
        {
            request.Headers.TryAddWithoutValidation(name, "forged");
        }

        using var response = await client.Http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(ct);
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .ToLookup(parts => parts[0], parts => parts[1], StringComparer.OrdinalIgnoreCase);
    }

    private static Task<OneHopInstance> StartAsync(Certificates setup, TestPods pods, string[] annotations, CancellationToken ct, Http1ForwarderKind forwarder = Http1ForwarderKind.Lean) =>
        OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = IngressClass,
                ["api.yaml"] = Yaml.Service("api", pods) + IngressYaml(annotations),
                ["secrets.yaml"] = TestCertificates.Secret("mtls-tls", setup.Server.Issue(Host)) + CaSecret(setup.Clients),
            },
            ct,
            https: true,
            configure: o => o with { AdoptIngressNginx = true, Http1Forwarder = forwarder });

    /// <summary>The CA Secret as ingress-nginx's client-certs example makes it: <c>kubectl create secret generic ca-secret --from-file=ca.crt=ca.crt</c>.</summary>
    private static string CaSecret(TestCertificates ca) => $"""
        ---
        apiVersion: v1
        kind: Secret
        metadata: {"{"}name: ca-secret, namespace: default{"}"}
        type: Opaque
        data:
          ca.crt: {Convert.ToBase64String(Encoding.UTF8.GetBytes(ca.CaPem))}

        """;

    /// <summary>One HTTP/1.1 request over TLS, without a client certificate, with <paramref name="serverName"/> as SNI and <paramref name="host"/> as Host; its status, or 0 when TLS fails.</summary>
    private static async Task<int> StatusAsync(Certificates setup, int port, string serverName, string host, CancellationToken ct)
    {
        try
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
            await using var tls = new System.Net.Security.SslStream(tcp.GetStream());
            var trust = new System.Security.Cryptography.X509Certificates.X509ChainPolicy { TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust, RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck };
            trust.CustomTrustStore.Add(setup.Server.Ca);
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions { TargetHost = serverName, ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http11], CertificateChainPolicy = trust }, ct);
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), ct);
            using var reader = new StreamReader(tls, Encoding.ASCII);
            // With TLS 1.3 the server refuses the client's certificate after the client's side of the handshake: no answer.
            var status = await reader.ReadLineAsync(ct);
            return status is null ? 0 : int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            return 0;
        }
    }

    private static string IngressYaml(string[] annotations, string host = Host) => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {{(host == Host ? "mtls" : "mtls-optional")}}
          namespace: default
          annotations:
        {{string.Concat(annotations.Select(a => $"    nginx.ingress.kubernetes.io/{a}\n"))}}
        spec:
          ingressClassName: nginx
          tls: [{hosts: [{{host}}], secretName: mtls-tls}]
          rules:
          - host: {{host}}
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80} } } }
        """;

    /// <summary>The server's CA, the CA of auth-tls-secret, and a stranger CA whose certificates must be refused.</summary>
    private sealed class Certificates : IDisposable
    {
        public TestCertificates Server { get; } = new();

        public TestCertificates Clients { get; } = new("Partner CA");

        public TestCertificates Stranger { get; } = new("Stranger CA");

        public void Dispose()
        {
            Server.Dispose();
            Clients.Dispose();
            Stranger.Dispose();
        }
    }
}
