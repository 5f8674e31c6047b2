using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Demo;
using OneHop.Core.Tls;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>
/// ssl-passthrough Ingresses on the HTTPS listener, beside hosts whose TLS OneHop terminates, on the same port: a
/// passthrough SNI reaches a real TLS pod whose own certificate the client verifies; every other connection gets
/// OneHop's TLS as before. Both annotation names work, and the annotation follows manifest edits live.
/// </summary>
public sealed class HttpsPassthroughTests
{
    [Fact]
    public async Task Passthrough_and_terminated_hosts_share_the_https_port()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var secure = TlsPod.Start("secure-0", ca.Issue("secure.example.com"));
        await using var web = await TestPods.StartAsync("web", 1, ct);
        var edge = ca.Issue("secure.example.com");
        using var edgeCertificate = X509Certificate2.CreateFromPem(edge.Certificate);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["services.yaml"] = Yaml.Service("secure", secure.Port, secure.Ready()) + Yaml.Service("web", web),
            ["secrets.yaml"] = TestCertificates.Secret("web-tls", ca.Issue("web.example.com")) + TestCertificates.Secret("secure-tls", edge),
            ["web.yaml"] = Yaml.TlsIngress("web", "web.example.com", "web-tls", "web"),
            ["secure.yaml"] = SecureIngress("ssl-passthrough"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true);
        var port = onehop.Port("https");
        using var client = ca.Client(port);

        var (greeting, podCertificate) = await TlsPod.AskAsync(new IPEndPoint(IPAddress.Loopback, port), "secure.example.com", ca.Ca, ct);
        using var terminated = await client.Http.GetAsync(client.Url("web.example.com"), ct);

        Assert.Equal("secure-0 secure.example.com", greeting);
        Assert.Equal("CN=secure.example.com", podCertificate.Subject);
        Assert.NotEqual(edgeCertificate.Thumbprint, podCertificate.Thumbprint); // passthrough wins over OneHop's own certificate
        Assert.Equal(HttpStatusCode.OK, terminated.StatusCode);
        Assert.Equal("web-0", terminated.Headers.GetValues(DemoPod.PodHeader).Single());
        Assert.Equal("CN=web.example.com", client.LastServerCertificate!.Subject);
        Assert.Equal(DefaultCertificate.Subject, (await HandshakeAsync(port, null, ct)).Subject);

        // A ClientHello in many small segments is peeked whole before the SNI decides.
        await using (var trickled = await TlsPod.OpenAsync(new IPEndPoint(IPAddress.Loopback, port), "secure.example.com", ca.Ca, ct, trickle: 7))
        {
            Assert.Equal("secure-0 secure.example.com", trickled.Greeting);
            Assert.Equal("ping", await trickled.EchoAsync("ping", ct));
        }


        // Not TLS at all: Kestrel's TLS refuses it, as it did before passthrough existed; the port goes on serving.
        using var plain = await TcpClientHelpers.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
        await plain.SendAsync("GET / HTTP/1.1\r\nHost: secure.example.com\r\n\r\n", ct);
        Assert.True(await plain.ClosedWithinAsync(TimeSpan.FromSeconds(5), ct), "plain text on the HTTPS port is closed");
        Assert.Equal(2, secure.Connections); // the passthrough clients' alone
        using var again = await client.Http.GetAsync(client.Url("web.example.com", "/again"), ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var metrics = await onehop.Admin.GetStringAsync("/metrics", ct);
        Assert.Contains("listener=\"https-passthrough:127.0.0.1:0\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingress_nginx_annotation_passes_through_and_removing_it_terminates_again_without_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var secure = TlsPod.Start("secure-0", ca.Issue("secure.example.com"));
        var edge = ca.Issue("secure.example.com");
        using var edgeCertificate = X509Certificate2.CreateFromPem(edge.Certificate);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["services.yaml"] = Yaml.Service("secure", secure.Port, secure.Ready()),
            ["secret.yaml"] = TestCertificates.Secret("secure-tls", edge),
            ["secure.yaml"] = SecureIngress("nginx.ingress.kubernetes.io/ssl-passthrough"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true);
        var port = onehop.Port("https");

        await using var open = await TlsPod.OpenAsync(new IPEndPoint(IPAddress.Loopback, port), "secure.example.com", ca.Ca, ct);
        Assert.Equal("secure-0 secure.example.com", open.Greeting);
        Assert.NotEqual(edgeCertificate.Thumbprint, open.Certificate.Thumbprint);

        await onehop.WriteManifestAsync("secure.yaml", SecureIngress(annotation: null), ct);
        await OneHopInstance.EventuallyAsync(
            async () => (await HandshakeAsync(port, "secure.example.com", ct)).Thumbprint == edgeCertificate.Thumbprint,
            TimeSpan.FromSeconds(10),
            "OneHop terminates secure.example.com with the Ingress's certificate",
            ct);

        // Terminated now: OneHop answers HTTP itself (the pod speaks only TLS, so that answer is a 502).
        using var client = ca.Client(port);
        using var answer = await client.Http.GetAsync(client.Url("secure.example.com"), ct);
        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.Equal(edgeCertificate.Thumbprint, client.LastServerCertificate!.Thumbprint);

        // The connection passed through before the edit is not cut: it drains as L4 connections of a route that left do.
        Assert.Equal("still here", await open.EchoAsync("still here", ct));
    }

    [Fact]
    public async Task Shutdown_closes_an_open_passed_through_connection_within_the_shutdown_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var secure = TlsPod.Start("secure-0", ca.Issue("secure.example.com"));
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["services.yaml"] = Yaml.Service("secure", secure.Port, secure.Ready()),
            ["secret.yaml"] = TestCertificates.Secret("secure-tls", ca.Issue("secure.example.com")),
            ["secure.yaml"] = SecureIngress("ssl-passthrough"),
        };
        var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true);
        await using var open = await TlsPod.OpenAsync(new IPEndPoint(IPAddress.Loopback, onehop.Port("https")), "secure.example.com", ca.Ca, ct);
        Assert.Equal("ping", await open.EchoAsync("ping", ct));

        // Neither Kestrel nor the L4 drain waits on the other: both give up at the shutdown timeout (2 s here).
        var stopping = Stopwatch.StartNew();
        await onehop.DisposeAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"shutdown took {stopping.Elapsed}");
        string echoed;
        try
        {
            echoed = await open.EchoAsync("gone", ct);
        }
        catch (IOException)
        {
            echoed = string.Empty;
        }

        Assert.Equal(string.Empty, echoed); // closed: end of stream or a reset
    }

    /// <summary>Ingress <c>secure</c> with a TLS section for secure.example.com, passed through when <paramref name="annotation"/> is set.</summary>
    private static string SecureIngress(string? annotation) =>
        Yaml.TlsIngress("secure", "secure.example.com", "secure-tls", "secure", annotation is null ? null : new Dictionary<string, string> { [annotation] = "true" });

    /// <summary>The certificate OneHop's HTTPS port presents for <paramref name="sni"/> (none when null), whatever it is.</summary>
    [SuppressMessage("Security", "CA5359", Justification = "Only looks at which certificate is presented; nothing is sent over the connection.")]
    private static async Task<X509Certificate2> HandshakeAsync(int port, string? sni, CancellationToken cancellationToken)
    {
        using var socket = await TcpClientHelpers.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        X509Certificate2? seen = null;
        await ssl.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = sni ?? string.Empty,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    seen = certificate is null ? null : new X509Certificate2(certificate);
                    return true;
                },
            },
            cancellationToken);
        return seen!;
    }
}
