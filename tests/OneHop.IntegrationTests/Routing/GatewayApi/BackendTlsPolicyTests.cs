using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A BackendTLSPolicy verifies the pods of its Service, on the lean HTTP/1.1 path and the HTTP/2 path: a pod whose
/// certificate another CA signed is refused and the request goes to a pod the policy's CA signed; a policy hostname the
/// pods' certificates do not carry refuses them all. Real TLS pods on loopback, each with its own test CA.
/// </summary>
public sealed class BackendTlsPolicyTests
{
    [Theory]
    [InlineData("", "HTTP/1.1")]
    [InlineData("onehop.dev/backend-protocol: h2", "HTTP/2")]
    public async Task A_pod_signed_by_another_CA_is_refused_and_another_pod_answers(string annotation, string protocol)
    {
        var ct = TestContext.Current.CancellationToken;
        using var trusted = new TestCertificates("Pod CA");
        using var stranger = new TestCertificates("Stranger CA");
        await using var good = await StartPodAsync(trusted, "good", ct);
        await using var bad = await StartPodAsync(stranger, "bad", ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(trusted, annotation, "web.pods.test", good, bad), ct);

        for (var i = 0; i < 6; i++)
        {
            var (status, _, body) = await onehop.GetAsync("/", ct);

            Assert.Equal(200, status);
            Assert.Equal($"good {protocol}", body);
        }

        Assert.Equal(0, bad.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("onehop.dev/backend-protocol: h2")]
    public async Task A_hostname_the_pods_certificates_do_not_carry_refuses_them(string annotation)
    {
        var ct = TestContext.Current.CancellationToken;
        using var trusted = new TestCertificates("Pod CA");
        await using var pod = await StartPodAsync(trusted, "good", ct);
        await using var onehop = await OneHopInstance.StartAsync(Manifests(trusted, annotation, "other.pods.test", pod), ct);

        var (status, _, _) = await onehop.GetAsync("/", ct);

        Assert.Equal(502, status);
        Assert.Equal(0, pod.Requests);
    }

    private static Dictionary<string, string> Manifests(TestCertificates ca, string annotation, string hostname, params TlsTestPod[] pods)
    {
        var bundle = string.Join("\n", ca.CaPem.Trim().Split('\n').Select(l => "    " + l));
        var endpoints = string.Join("\n", pods.Select(p => $"  - addresses: [\"{p.Address}\"]"));
        return new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["web.yaml"] = $$$"""
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  annotations: { {{{annotation}}} }
                spec:
                  ports: [{name: btls, port: 443, targetPort: 8443}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: web-slice
                  labels: {kubernetes.io/service-name: web}
                addressType: IPv4
                ports: [{name: btls, port: {{{pods[0].Port}}} }]
                endpoints:
                {{{endpoints}}}
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: web
                spec:
                  defaultBackend:
                    service: {name: web, port: {number: 443}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: pod-ca
                data:
                  ca.crt: |
                {{{bundle}}}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: BackendTLSPolicy
                metadata:
                  name: web-tls
                spec:
                  targetRefs: [{group: "", kind: Service, name: web, sectionName: btls}]
                  validation:
                    caCertificateRefs: [{group: "", kind: ConfigMap, name: pod-ca}]
                    hostname: {{{hostname}}}
                """,
        };
    }

    /// <summary>A TLS pod on its own loopback address, at the port every pod of the test shares.</summary>
    private static async Task<TlsTestPod> StartPodAsync(TestCertificates ca, string name, CancellationToken ct)
    {
        var address = LoopbackAddresses.Next();
        var (certificate, key) = ca.Issue("web.pods.test");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var pod = new TlsTestPod(address, SharedPort);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), SharedPort, o =>
        {
            o.Protocols = HttpProtocols.Http1AndHttp2;
            o.UseHttps(X509Certificate2.CreateFromPem(certificate, key));
        }));
        var app = builder.Build();
        app.Run(context =>
        {
            pod.Count();
            return context.Response.WriteAsync($"{name} {context.Request.Protocol}", ct);
        });
        await app.StartAsync(ct);
        pod.App = app;
        return pod;
    }

    /// <summary>EndpointSlices give one port for every address: the pods share one, free on each loopback address.</summary>
    private static readonly int SharedPort = FreePort();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class TlsTestPod(string address, int port) : IAsyncDisposable
    {
        private int _counter;

        public string Address { get; } = address;

        public int Port { get; } = port;

        public WebApplication? App { get; set; }

        public int Requests => Volatile.Read(ref _counter);

        public void Count() => Interlocked.Increment(ref _counter);

        public async ValueTask DisposeAsync()
        {
            if (App is not null)
            {
                await App.DisposeAsync();
            }
        }
    }
}
