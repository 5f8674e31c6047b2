using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayBackendClientCertificate, after the suite's GatewayTLSBackendClientCertificate
/// (conformance/tests/gateway-tls-backend-client-certificate.go at 4564255ac), its objects written anew: a real TLS pod
/// that requires a client certificate issued by the suite's CA (tls-checks-ca-certificate), behind a BackendTLSPolicy,
/// is reached through Gateway A, whose <c>spec.tls.backend.clientCertificateRef</c> names the suite's
/// tls-checks-client-certificate, and the pod sees that certificate; through Gateway B, the same route to the same
/// Service without a certificate, the pod refuses the handshake and the client gets 502. Each Gateway has an address of
/// its own (both listen on port 80).
/// </summary>
public sealed class GatewayBackendClientCertificateTests
{
    private const string Infra = EchoBackends.Infra;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_gateways_client_certificate_is_presented_to_the_pod_and_a_gateway_without_one_is_refused()
    {
        using var ca = new TestCertificates("Conformance TLS checks CA");
        var client = ca.IssueClient("tls-checks-client");
        await using var pod = await ClientCertificatePod.StartAsync(ca, Cancel);
        var (withCert, withoutCert) = (IPAddress.Parse(LoopbackAddresses.Next()), IPAddress.Parse(LoopbackAddresses.Next()));
        await using var onehop = await TlsRouteOneHop.StartAsync([withCert, withoutCert], new Dictionary<string, string>
        {
            ["client-secret.yaml"] = TestCertificates.Secret("tls-checks-client-certificate", (client.ExportCertificatePem(), client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()), ns: Infra),
            ["ca.yaml"] = ClientCertificateGateway.CaConfigMap("tls-checks-ca-certificate", ca.CaPem),
            ["pod.yaml"] = pod.ServiceYaml("tls-backend-with-client-cert-validation", Infra),
            ["test.yaml"] = $$"""
                {{Gateway("gateway-tls-backend-client-certificate", withCert, "clientCertificateRef: {group: \"\", kind: Secret, name: tls-checks-client-certificate}")}}
                ---
                {{Gateway("gateway-without-backend-client-certificate", withoutCert, null)}}
                ---
                {{Route("gateway-tls-backend-client-certificate")}}
                ---
                {{Route("gateway-without-backend-client-certificate")}}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: BackendTLSPolicy
                metadata: {name: gateway-tls-backend-client-certificate-test, namespace: {{Infra}}}
                spec:
                  targetRefs: [{group: "", kind: Service, name: tls-backend-with-client-cert-validation}]
                  validation:
                    caCertificateRefs: [{group: "", kind: ConfigMap, name: tls-checks-ca-certificate}]
                    hostname: abc.example.com
                """,
        }, Cancel);

        var status = TlsRouteOneHop.Status(onehop);
        var gateway = Assert.Single(status.Gateways, g => g.Ref.Name == "gateway-tls-backend-client-certificate");
        Assert.Contains(gateway.Conditions, c => c is { Type: "ResolvedRefs", Status: true, Reason: "ResolvedRefs" });
        Assert.All(status.Routes, r => Assert.All(Assert.Single(r.Parents).Conditions, c => Assert.True(c.Status, c.ToString())));
        Assert.All(Assert.Single(status.Policies).Conditions, c => Assert.True(c.Status, c.ToString()));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var (answered, body) = await GetAsync(http, withCert);
        Assert.Equal((HttpStatusCode.OK, client.Subject), (answered, body));
        Assert.Equal(client.Thumbprint, pod.LastClientThumbprint);

        var (refused, _) = await GetAsync(http, withoutCert);
        Assert.Equal(HttpStatusCode.BadGateway, refused);
        Assert.Equal(1, pod.Answered);
    }

    [Fact]
    public async Task A_mirrored_copy_presents_the_gateways_client_certificate_as_the_request_does()
    {
        using var ca = new TestCertificates("Conformance TLS checks CA");
        var client = ca.IssueClient("tls-checks-client");
        await using var pod = await ClientCertificatePod.StartAsync(ca, Cancel);
        await using var mirror = await ClientCertificatePod.StartAsync(ca, Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await TlsRouteOneHop.StartAsync([address], new Dictionary<string, string>
        {
            ["client-secret.yaml"] = TestCertificates.Secret("tls-checks-client-certificate", (client.ExportCertificatePem(), client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()), ns: Infra),
            ["ca.yaml"] = ClientCertificateGateway.CaConfigMap("tls-checks-ca-certificate", ca.CaPem),
            ["pod.yaml"] = pod.ServiceYaml("tls-backend-with-client-cert-validation", Infra),
            ["mirror.yaml"] = mirror.ServiceYaml("tls-mirror-with-client-cert-validation", Infra),
            ["test.yaml"] = $$"""
                {{Gateway("gateway-tls-backend-client-certificate", address, "clientCertificateRef: {group: \"\", kind: Secret, name: tls-checks-client-certificate}")}}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: mirrored, namespace: {{Infra}}}
                spec:
                  parentRefs: [{name: gateway-tls-backend-client-certificate}]
                  hostnames: [abc.example.com]
                  rules:
                  - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: tls-mirror-with-client-cert-validation, port: 443} } }]
                    backendRefs: [{name: tls-backend-with-client-cert-validation, port: 443}]
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: BackendTLSPolicy
                metadata: {name: both-pods, namespace: {{Infra}}}
                spec:
                  targetRefs:
                  - {group: "", kind: Service, name: tls-backend-with-client-cert-validation}
                  - {group: "", kind: Service, name: tls-mirror-with-client-cert-validation}
                  validation:
                    caCertificateRefs: [{group: "", kind: ConfigMap, name: tls-checks-ca-certificate}]
                    hostname: abc.example.com
                """,
        }, Cancel);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal((HttpStatusCode.OK, client.Subject), await GetAsync(http, address));

        // The copy is fire and forget: wait for the mirror pod to have answered it (it refuses a handshake without the certificate).
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(mirror.Answered == 1), TimeSpan.FromSeconds(10), "the mirror pod to answer the copy", Cancel);
        Assert.Equal(client.Thumbprint, mirror.LastClientThumbprint);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, IPAddress address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{address}:80/");
        request.Headers.Host = "abc.example.com";
        using var response = await http.SendAsync(request, Cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    private static string Gateway(string name, IPAddress address, string? clientCertificateRef) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}, namespace: {{Infra}}}
        spec:
          gatewayClassName: onehop
          addresses: [{type: IPAddress, value: "{{address}}"}]
          listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same} } }]
        {{(clientCertificateRef is null ? string.Empty : $"  tls:\n    backend:\n      {clientCertificateRef}")}}
        """;

    private static string Route(string gateway) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: {{gateway}}, namespace: {{Infra}}}
        spec:
          parentRefs: [{name: {{gateway}}, namespace: {{Infra}}}]
          hostnames: [abc.example.com]
          rules:
          - matches: [{path: {type: Exact, value: /} }]
            backendRefs: [{group: "", kind: Service, name: tls-backend-with-client-cert-validation, port: 443}]
        """;

    /// <summary>
    /// The suite's echo-basic with <c>TLS_CLIENT_CACERTS</c>: HTTPS with the certificate of abc.example.com, a client
    /// certificate required in the handshake and verified against the CA; answers with the client certificate's subject.
    /// </summary>
    private sealed class ClientCertificatePod : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _answered;

        private ClientCertificatePod(WebApplication app, string address, int port)
        {
            _app = app;
            Address = address;
            Port = port;
        }

        public string Address { get; }

        public int Port { get; }

        public int Answered => Volatile.Read(ref _answered);

        public string? LastClientThumbprint { get; private set; }

        public static async Task<ClientCertificatePod> StartAsync(TestCertificates ca, CancellationToken cancellationToken)
        {
            var address = LoopbackAddresses.Next();
            var (certificate, key) = ca.Issue("abc.example.com");
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), 0, o => o.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPem(certificate, key).Export(X509ContentType.Pkcs12), null),
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (presented, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca.Ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(presented);
                },
            })));
            var app = builder.Build();
            ClientCertificatePod? pod = null;
            app.Run(context =>
            {
                Interlocked.Increment(ref pod!._answered);
                pod.LastClientThumbprint = context.Connection.ClientCertificate?.Thumbprint;
                return context.Response.WriteAsync(context.Connection.ClientCertificate?.Subject ?? string.Empty, cancellationToken);
            });
            await app.StartAsync(cancellationToken);
            var port = new Uri(app.Urls.First()).Port;
            pod = new ClientCertificatePod(app, address, port);
            return pod;
        }

        /// <summary>The Service (port 443 to the pod's 8443, as the suite's) and an EndpointSlice listing the pod at its port.</summary>
        public string ServiceYaml(string service, string ns) => $$"""
            apiVersion: v1
            kind: Service
            metadata: {name: {{service}}, namespace: {{ns}}}
            spec:
              ports: [{name: https, protocol: TCP, port: 443, targetPort: 8443}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: {{service}}-1, namespace: {{ns}}, labels: {kubernetes.io/service-name: {{service}} } }
            addressType: IPv4
            ports: [{name: https, port: {{Port}} }]
            endpoints: [{addresses: ["{{Address}}"], conditions: {ready: true} }]
            """;

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
