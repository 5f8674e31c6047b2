using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.Ingresses.Nginx.NginxManifests;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>proxy-ssl-*</c> through a real OneHop adopting the <c>nginx</c> class, to a real TLS pod on
/// loopback whose certificate a test CA signed: verified with the Secret's ca.crt, refused (502) with another CA or
/// another proxy-ssl-name, the client certificate of the Secret presented to a pod that requires one, SNI sent only with
/// proxy-ssl-server-name on; on the HTTP/1.1 forwarder (HTTPS) and the HTTP/2 client (GRPCS).
/// </summary>
public sealed class NginxProxySslEndToEndTests
{
    private const string Host = "ssl.bar.com";

    [Theory]
    [InlineData("HTTPS", "HTTP/1.1")]
    [InlineData("GRPCS", "HTTP/2")]
    public async Task Verify_on_with_the_pod_s_ca_reaches_the_pod(string protocol, string version)
    {
        var ct = TestContext.Current.CancellationToken;
        using var podCa = new TestCertificates("Pod CA");
        await using var pod = await TlsPod.StartAsync(podCa, null, ct);
        await using var onehop = await StartAsync(pod, Secret(podCa), protocol, ["proxy-ssl-verify: \"on\"", "proxy-ssl-name: web.pods.test", "proxy-ssl-server-name: \"on\""], ct);

        var (status, _, body) = await onehop.GetAsync("/", ct, Host);

        Assert.Equal(200, status);
        Assert.StartsWith($"{version} ", body, StringComparison.Ordinal);
        if (protocol == "HTTPS")
        {
            Assert.Contains("sni=web.pods.test ", body, StringComparison.Ordinal); // .NET's HTTP/2 client sends the request's Host instead
        }
    }

    [Theory]
    [InlineData("HTTPS")]
    [InlineData("GRPCS")]
    public async Task A_pod_certificate_of_another_ca_is_refused_with_502(string protocol)
    {
        var ct = TestContext.Current.CancellationToken;
        using var podCa = new TestCertificates("Pod CA");
        using var stranger = new TestCertificates("Stranger CA");
        await using var pod = await TlsPod.StartAsync(podCa, null, ct);
        await using var onehop = await StartAsync(pod, Secret(stranger), protocol, ["proxy-ssl-verify: \"on\"", "proxy-ssl-name: web.pods.test"], ct);

        var (status, _, _) = await onehop.GetAsync("/", ct, Host);

        Assert.Equal(502, status);
        Assert.Equal(0, pod.Requests);
    }

    [Theory]
    [InlineData("HTTPS")]
    [InlineData("GRPCS")]
    public async Task A_proxy_ssl_name_the_pod_s_certificate_does_not_carry_is_refused_with_502(string protocol)
    {
        var ct = TestContext.Current.CancellationToken;
        using var podCa = new TestCertificates("Pod CA");
        await using var pod = await TlsPod.StartAsync(podCa, null, ct);
        await using var onehop = await StartAsync(pod, Secret(podCa), protocol, ["proxy-ssl-verify: \"on\"", "proxy-ssl-name: other.pods.test"], ct);

        var (status, _, _) = await onehop.GetAsync("/", ct, Host);

        Assert.Equal(502, status);
        Assert.Equal(0, pod.Requests);
    }

    [Theory]
    [InlineData("HTTPS", "on")]
    [InlineData("HTTPS", "off")]
    [InlineData("GRPCS", "on")]
    public async Task A_pod_that_requires_a_client_certificate_gets_the_secret_s(string protocol, string verify)
    {
        var ct = TestContext.Current.CancellationToken;
        using var podCa = new TestCertificates("Pod CA");
        using var clientCa = new TestCertificates("Client CA");
        await using var pod = await TlsPod.StartAsync(podCa, clientCa, ct);
        var client = clientCa.IssueClient("onehop-client");
        var pair = (client.ExportCertificatePem(), client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var onehop = await StartAsync(pod, TestCertificates.Secret("pod-tls", pair, podCa.CaPem), protocol, [$"proxy-ssl-verify: \"{verify}\"", "proxy-ssl-name: web.pods.test"], ct);

        var (status, _, body) = await onehop.GetAsync("/", ct, Host);

        Assert.Equal(200, status);
        Assert.EndsWith("client=CN=onehop-client", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_client_certificate_a_pod_that_requires_one_refuses_and_502_is_answered()
    {
        var ct = TestContext.Current.CancellationToken;
        using var podCa = new TestCertificates("Pod CA");
        using var clientCa = new TestCertificates("Client CA");
        await using var pod = await TlsPod.StartAsync(podCa, clientCa, ct);
        await using var onehop = await StartAsync(pod, Secret(podCa), "HTTPS", ["proxy-ssl-verify: \"on\"", "proxy-ssl-name: web.pods.test"], ct);

        var (status, _, _) = await onehop.GetAsync("/", ct, Host);

        Assert.Equal(502, status);
        Assert.Equal(0, pod.Requests);
    }

    [Fact]
    public async Task Proxy_ssl_server_name_off_sends_no_sni_and_still_checks_the_name()
    {
        var ct = TestContext.Current.CancellationToken;
        using var podCa = new TestCertificates("Pod CA");
        await using var pod = await TlsPod.StartAsync(podCa, null, ct);
        await using var onehop = await StartAsync(pod, Secret(podCa), "HTTPS", ["proxy-ssl-verify: \"on\"", "proxy-ssl-name: web.pods.test"], ct);

        var (status, _, body) = await onehop.GetAsync("/", ct, Host);

        Assert.Equal(200, status);
        Assert.Contains("sni= ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTPS", "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")]
    [InlineData("HTTPS", "ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256")]
    [InlineData("GRPCS", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")]
    public async Task Proxy_ssl_ciphers_by_name_are_what_the_pod_is_offered(string protocol, string ciphers, string agreed)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "OneHop sets cipher suites on Linux only");
        // Without the annotation this pod settles on AES-256-GCM (.NET's default list puts it first): each suite here is
        // one it would not choose itself.
        var ct = TestContext.Current.CancellationToken;
        using var podCa = new TestCertificates("Pod CA");
        await using var pod = await TlsPod.StartAsync(podCa, null, ct);
        await using var onehop = await StartAsync(pod, Secret(podCa), protocol, ["proxy-ssl-verify: \"on\"", "proxy-ssl-name: web.pods.test", $"proxy-ssl-ciphers: \"{ciphers}\"", "proxy-ssl-protocols: TLSv1.2"], ct);

        var (status, _, body) = await onehop.GetAsync("/", ct, Host);

        Assert.Equal(200, status);
        Assert.Contains($"cipher={agreed} ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_value_keeps_the_last_good_tls_and_a_missing_secret_answers_502()
    {
        var ct = TestContext.Current.CancellationToken;
        using var podCa = new TestCertificates("Pod CA");
        await using var pod = await TlsPod.StartAsync(podCa, null, ct);
        string[] good = ["proxy-ssl-verify: \"on\"", "proxy-ssl-name: web.pods.test"];
        await using var onehop = await StartAsync(pod, Secret(podCa), "HTTPS", good, ct);
        Assert.Equal(200, (await onehop.GetAsync("/", ct, Host)).Status);

        // proxy-ssl-verify: "maybe" is refused; the Ingress keeps verifying as before.
        await onehop.WriteManifestAsync("ingress.yaml", IngressYaml("HTTPS", ["proxy-ssl-secret: default/pod-tls", "proxy-ssl-verify: maybe", "proxy-ssl-name: web.pods.test"]), ct);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(ct)).ToString() is var status && status.Contains("LastGoodKept", StringComparison.Ordinal) && status.Contains("nginx.ingress.kubernetes.io/proxy-ssl-verify", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the bad proxy-ssl-verify to be reported in /api/status",
            ct);
        Assert.Equal(200, (await onehop.GetAsync("/", ct, Host)).Status);

        // A Secret that does not exist is an error, and the pods are not reached unverified.
        await onehop.WriteManifestAsync("ingress.yaml", IngressYaml("HTTPS", ["proxy-ssl-secret: default/no-such-secret", .. good]), ct);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.GetAsync("/", ct, Host)).Status == 502,
            TimeSpan.FromSeconds(10),
            "a missing Secret to fail the connections",
            ct);
        Assert.Contains("Secret default/no-such-secret does not exist", (await onehop.StatusAsync(ct)).ToString(), StringComparison.Ordinal);
        var reached = pod.Requests;
        Assert.Equal(502, (await onehop.GetAsync("/", ct, Host)).Status);
        Assert.Equal(reached, pod.Requests);
    }

    private static string Secret(TestCertificates ca) => $"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: pod-tls
          namespace: default
        type: Opaque
        data:
          ca.crt: {Convert.ToBase64String(Encoding.UTF8.GetBytes(ca.CaPem))}
        """;

    private static Task<OneHopInstance> StartAsync(TlsPod pod, string secret, string protocol, string[] annotations, CancellationToken ct) =>
        OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = IngressClass,
                ["secret.yaml"] = secret,
                ["ingress.yaml"] = IngressYaml(protocol, ["proxy-ssl-secret: default/pod-tls", .. annotations]),
                ["web.yaml"] = $$"""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: web, namespace: default}
                    spec:
                      ports: [{name: https, port: 443, targetPort: {{pod.Port}}}]
                    ---
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: web-slice
                      namespace: default
                      labels: {kubernetes.io/service-name: web}
                    addressType: IPv4
                    ports: [{name: https, port: {{pod.Port}} }]
                    endpoints:
                    - addresses: ["{{pod.Address}}"]
                    """,
            },
            ct,
            configure: o => o with { AdoptIngressNginx = true });

    private static string IngressYaml(string protocol, string[] annotations) => $$"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          namespace: default
          annotations:
            nginx.ingress.kubernetes.io/backend-protocol: {{protocol}}
        {{string.Concat(annotations.Select(a => $"    nginx.ingress.kubernetes.io/{a}\n"))}}
        spec:
          ingressClassName: nginx
          rules:
          - host: {{Host}}
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 443} } } }
        """;

    /// <summary>
    /// A pod serving HTTPS (HTTP/1.1 and HTTP/2) with a certificate for web.pods.test from <c>ca</c>; with a client CA it
    /// requires a client certificate that CA signed. It answers its protocol, the SNI it got and the client's subject.
    /// </summary>
    private sealed class TlsPod : IAsyncDisposable
    {
        private int _requests;

        private TlsPod(string address, int port, WebApplication app)
        {
            Address = address;
            Port = port;
            App = app;
        }

        public string Address { get; }

        public int Port { get; }

        public int Requests => Volatile.Read(ref _requests);

        /// <summary>The server name of the last TLS handshake; empty when none was sent.</summary>
        public string? Sni { get; private set; }

        private WebApplication App { get; }

        public static async Task<TlsPod> StartAsync(TestCertificates ca, TestCertificates? clientCa, CancellationToken ct)
        {
            var address = LoopbackAddresses.Next();
            var port = FreePort(address);
            var (certificate, key) = ca.Issue("web.pods.test");
            var serverCertificate = X509Certificate2.CreateFromPem(certificate, key);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            TlsPod? pod = null;
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), port, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.UseHttps(new HttpsConnectionAdapterOptions
                {
                    // Kestrel's handshake feature does not say the SNI; the selector is told it.
                    ServerCertificateSelector = (_, name) =>
                    {
                        pod!.Sni = name;
                        return serverCertificate;
                    },
                    ClientCertificateMode = clientCa is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (presented, _, _) => clientCa is not null && IssuedBy(presented, clientCa),
                });
            }));
            var app = builder.Build();
            pod = new TlsPod(address, port, app);
            app.Run(context =>
            {
                Interlocked.Increment(ref pod._requests);
                var cipher = context.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>()?.NegotiatedCipherSuite;
                return context.Response.WriteAsync($"{context.Request.Protocol} sni={pod.Sni} cipher={cipher} client={context.Connection.ClientCertificate?.Subject}", ct);
            });
            await app.StartAsync(ct);
            return pod;
        }

        public ValueTask DisposeAsync() => App.DisposeAsync();

        private static bool IssuedBy(X509Certificate2 certificate, TestCertificates ca)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca.Ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        }

        private static int FreePort(string address)
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Parse(address), 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
