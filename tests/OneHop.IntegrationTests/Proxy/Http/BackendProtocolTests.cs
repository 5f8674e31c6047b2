using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>TLS to pods when the Service port asks for it (appProtocol https, or h2 by the backend-protocol annotation).</summary>
public sealed class BackendProtocolTests
{
    [Theory]
    [InlineData("appProtocol: https", "", "HTTP/1.1")]
    [InlineData("appProtocol: https", "onehop.dev/backend-protocol: h2", "HTTP/2")]
    public async Task A_tls_pod_is_reached_over_tls_with_the_protocol_asked_for(string appProtocol, string annotation, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        var address = LoopbackAddresses.Next();
        var (certificate, key) = ca.Issue("secure-0.pods.local");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Parse(address), 0, o =>
        {
            o.Protocols = HttpProtocols.Http1AndHttp2;
            o.UseHttps(X509Certificate2.CreateFromPem(certificate, key));
        }));
        await using var pod = builder.Build();
        pod.Run(context => context.Response.WriteAsync($"{context.Request.Protocol} tls={context.Request.IsHttps}", ct));
        await pod.StartAsync(ct);
        var port = new Uri(pod.Urls.First()).Port;
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["secure.yaml"] = $$$"""
                apiVersion: v1
                kind: Service
                metadata:
                  name: secure
                  annotations: { {{{annotation}}} }
                spec:
                  ports: [{name: web, port: 443, targetPort: 8443, {{{appProtocol}}}}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: secure-slice
                  labels: {kubernetes.io/service-name: secure}
                addressType: IPv4
                ports: [{name: web, port: {{{port}}}, {{{appProtocol}}}}]
                endpoints:
                  - addresses: ["{{{address}}}"]
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: secure
                spec:
                  defaultBackend:
                    service: {name: secure, port: {number: 443}}
                """,
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct);

        var (status, _, body) = await onehop.GetAsync("/", ct);

        Assert.Equal(200, status);
        Assert.Equal($"{expected} tls=True", body);
    }
}
