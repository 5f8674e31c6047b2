using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// The suite's tls-backend pod, for the BackendTLSPolicy cases: a real HTTPS server on a loopback address of its own
/// whose certificate (issued by <see cref="Ca"/>, the CA of the suite's <c>tls-checks-ca-certificate</c> ConfigMap)
/// names abc.example.com and other.example.com. It answers 200 with the SNI the handshake asked for, as the suite's
/// echo server reports it, and counts its answers.
/// </summary>
internal sealed class TlsBackendPod : IAsyncDisposable
{
    private const string Sni = "sni";

    private readonly WebApplication _app;
    private int _answered;

    private TlsBackendPod(WebApplication app, TestCertificates ca, string address)
    {
        _app = app;
        Ca = ca;
        Address = address;
    }

    public TestCertificates Ca { get; }

    public string Address { get; }

    public int Port { get; private set; }

    public int Answered => Volatile.Read(ref _answered);

    public static async Task<TlsBackendPod> StartAsync(CancellationToken cancellationToken)
    {
        var ca = new TestCertificates("Conformance TLS checks CA");
        var certificate = ServerCertificate(ca, "abc.example.com", "other.example.com");

        var address = LoopbackAddresses.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The ClientHello's server name, kept with the connection for its requests to echo.
        var tls = new TlsHandshakeCallbackOptions
        {
            OnConnection = c =>
            {
                c.Connection.Items[Sni] = c.ClientHelloInfo.ServerName;
                return ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificate = certificate });
            },
        };
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), 0, o => o.UseHttps(tls)));
        var app = builder.Build();
        var pod = new TlsBackendPod(app, ca, address);
        app.Run(context =>
        {
            Interlocked.Increment(ref pod._answered);
            var sni = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(Sni, out var name) == true ? name as string : null;
            return context.Response.WriteAsync(sni ?? string.Empty, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        pod.Port = new Uri(app.Urls.First()).Port;
        return pod;
    }

    /// <summary>A server certificate for <paramref name="names"/> issued by <paramref name="ca"/>, with a key Kestrel can use.</summary>
    public static X509Certificate2 ServerCertificate(TestCertificates ca, params string[] names)
    {
        // Exported and re-imported: SslStream on Linux wants a certificate whose key it can use as a server's.
        var (pem, key) = ca.Issue(names);
        using var ephemeral = X509Certificate2.CreateFromPem(pem, key);
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>
    /// A OneHop serving, at <paramref name="address"/>, the suite's Gateway <c>same-namespace</c> (HTTP on port 80), its
    /// CA ConfigMap <c>tls-checks-ca-certificate</c>, the suite's <paramref name="manifest"/> from <c>Conformance/</c>, and
    /// EndpointSlices listing this pod for each (Service, port name) of <paramref name="ports"/>.
    /// </summary>
    public Task<OneHopInstance> ServeAsync(IPAddress address, string manifest, (string Service, string Port)[] ports, CancellationToken cancellationToken) =>
        TlsRouteOneHop.StartAsync(
            [address],
            new Dictionary<string, string>
            {
                ["gateway.yaml"] = $$"""
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: Gateway
                    metadata: {name: same-namespace, namespace: {{EchoBackends.Infra}}}
                    spec:
                      gatewayClassName: onehop
                      listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same} } }]

                    """ + ClientCertificateGateway.CaConfigMap("tls-checks-ca-certificate", Ca.CaPem),
                [manifest] = ConformanceGateway.Data(manifest),
                ["slices.yaml"] = string.Concat(ports.Select(p => Slice(p.Service, p.Port))),
            },
            cancellationToken);

    private string Slice(string service, string portName) => $$"""

        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: {{service}}-{{portName}}, namespace: {{EchoBackends.Infra}}, labels: {kubernetes.io/service-name: {{service}}} }
        addressType: IPv4
        ports: [{name: {{portName}}, port: {{Port}} }]
        endpoints: [{addresses: ["{{Address}}"], conditions: {ready: true} }]
        """;

    /// <summary>
    /// A GET of <paramref name="path"/> with Host abc.example.com to port 80 of <paramref name="address"/>: the status and
    /// the body (the SNI the pod saw, when it answered).
    /// </summary>
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(IPAddress address, string path, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{address}:80{path}");
        request.Headers.Host = "abc.example.com";
        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Ca.Dispose();
    }
}
