using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// BackendTLSPolicySANValidation (conformance/tests/backendtlspolicy-san.go at 4564255ac), its objects written anew:
/// six Services of one real TLS pod, whose certificate (issued by the suite's CA) carries the DNS name abc.example.com
/// and the URI <c>spiffe://abc.example.com/test-identity</c>, each under a policy of the suite's with other
/// subjectAltNames (Hostname, URI, both; matching or not). Matching ones answer 200, the others are refused (502).
/// </summary>
public sealed class BackendTlsPolicySanValidationTests
{
    private const string Infra = EchoBackends.Infra;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The suite's policies: name, subjectAltNames (flow YAML), and whether the pod's certificate passes.</summary>
    private static readonly (string Name, string AltNames, bool Passes)[] Policies =
    [
        ("san-dns", "[{type: Hostname, hostname: abc.example.com}]", true),
        ("san-dns-mismatch", "[{type: Hostname, hostname: dce.example.com}]", false),
        ("san-uri", "[{type: URI, uri: \"spiffe://abc.example.com/test-identity\"}]", true),
        ("san-uri-mismatch", "[{type: URI, uri: \"spiffe://def.example.com/test-identity\"}]", false),
        ("multiple-sans", "[{type: URI, uri: \"spiffe://abc.example.com/test-identity\"}, {type: Hostname, hostname: abc.example.com}]", true),
        ("multiple-mismatch-sans", "[{type: URI, uri: \"spiffe://def.example.com/test-identity\"}, {type: Hostname, hostname: def.example.com}]", false),
    ];

    [Fact]
    public async Task Policies_whose_subject_alt_names_the_pod_carries_reach_it_and_the_others_are_refused()
    {
        using var ca = new TestCertificates("Conformance TLS checks CA");
        await using var pod = await StartPodAsync(ca);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        var manifests = new Dictionary<string, string>
        {
            ["ca.yaml"] = ClientCertificateGateway.CaConfigMap("tls-checks-ca-certificate", ca.CaPem),
            ["gateway.yaml"] = $$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: same-namespace, namespace: {{Infra}}}
                spec:
                  gatewayClassName: onehop
                  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same} } }]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: backendtlspolicy-san-test, namespace: {{Infra}}}
                spec:
                  parentRefs: [{name: same-namespace, namespace: {{Infra}}}]
                  hostnames: [abc.example.com]
                  rules:
                {{string.Join("\n", Policies.Select(p => $"  - matches: [{{path: {{type: Exact, value: /backendtlspolicy-{p.Name}}}}}]\n    backendRefs: [{{name: backendtlspolicy-{p.Name}-test, port: 443}}]"))}}
                """,
        };
        foreach (var (name, altNames, _) in Policies)
        {
            manifests[$"{name}.yaml"] = $$"""
                apiVersion: v1
                kind: Service
                metadata: {name: backendtlspolicy-{{name}}-test, namespace: {{Infra}}}
                spec: {ports: [{name: btls, port: 443, targetPort: 8443}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: backendtlspolicy-{{name}}-test-1, namespace: {{Infra}}, labels: {kubernetes.io/service-name: backendtlspolicy-{{name}}-test} }
                addressType: IPv4
                ports: [{name: btls, port: {{pod.Port}} }]
                endpoints: [{addresses: ["{{pod.Address}}"], conditions: {ready: true} }]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: BackendTLSPolicy
                metadata: {name: {{name}}, namespace: {{Infra}}}
                spec:
                  targetRefs: [{group: "", kind: Service, name: backendtlspolicy-{{name}}-test, sectionName: btls}]
                  validation:
                    caCertificateRefs: [{group: "", kind: ConfigMap, name: tls-checks-ca-certificate}]
                    hostname: abc.example.com
                    subjectAltNames: {{altNames}}
                """;
        }

        await using var onehop = await TlsRouteOneHop.StartAsync([address], manifests, Cancel);

        var status = TlsRouteOneHop.Status(onehop);
        Assert.All(TlsRouteOneHop.Parent(status, "backendtlspolicy-san-test").Conditions, c => Assert.True(c.Status, c.ToString()));
        Assert.Equal(Policies.Length, status.Policies.Length);
        Assert.All(status.Policies, p => Assert.Contains(p.Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" }));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var (name, _, passes) in Policies)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{address}:80/backendtlspolicy-{name}");
            request.Headers.Host = "abc.example.com";
            using var response = await http.SendAsync(request, Cancel);
            Assert.True(response.StatusCode == (passes ? HttpStatusCode.OK : HttpStatusCode.BadGateway), $"{name}: {(int)response.StatusCode}");
        }

        Assert.Equal(Policies.Count(p => p.Passes), pod.Answered);
    }

    /// <summary>The TLS pod: a certificate for abc.example.com with the URI SAN spiffe://abc.example.com/test-identity, issued by <paramref name="ca"/>.</summary>
    private static async Task<SanPod> StartPodAsync(TestCertificates ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=abc.example.com", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("abc.example.com");
        names.AddUri(new Uri("spiffe://abc.example.com/test-identity"));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca.Ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        var address = LoopbackAddresses.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        var pod = new SanPod(app, address);
        app.Run(context =>
        {
            pod.Count();
            return context.Response.WriteAsync("ok", Cancel);
        });
        await app.StartAsync(Cancel);
        pod.Port = new Uri(app.Urls.First()).Port;
        return pod;
    }

    private sealed class SanPod(WebApplication app, string address) : IAsyncDisposable
    {
        private int _answered;

        public string Address { get; } = address;

        public int Port { get; set; }

        public int Answered => Volatile.Read(ref _answered);

        public void Count() => Interlocked.Increment(ref _answered);

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
