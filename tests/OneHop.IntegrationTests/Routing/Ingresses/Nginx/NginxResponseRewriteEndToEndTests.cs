using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Proxy.Http;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// proxy-redirect-from/-to and proxy-cookie-domain/-path on a real pod's answers through OneHop, on every forwarder: OneHop's
/// own HTTP/1.1 forwarder, YARP's (<c>--http1-forwarder yarp</c>) and an h2c pod (always YARP). The pod answers with its
/// own name in Location, Refresh and Set-Cookie; the client sees them rewritten, and a route without the annotations
/// gets them as the pod sent them.
/// </summary>
public sealed class NginxResponseRewriteEndToEndTests
{
    private const string PodLocation = "http://pod.internal:8080/app/next?x=1";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("lean")]
    [InlineData("yarp")]
    [InlineData("h2c-pod")]
    public async Task Location_refresh_and_set_cookie_are_rewritten_as_nginx_does_on_every_forwarder(string path)
    {
        var address = LoopbackAddresses.Next();
        await using var pod = KestrelApps.Create(address, 0, h2cPort: 0);
        pod.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = PodLocation;
            context.Response.Headers["Refresh"] = "3; url=http://pod.internal:8080/app/r";
            context.Response.Headers.SetCookie = new(["sid=1; Domain=.Pod.Internal; Path=/app/one; HttpOnly", "other=2; path=/else; domain=elsewhere.test", "plain=3"]);
            return Task.CompletedTask;
        });
        await pod.StartAsync(Cancel);
        var ports = KestrelApps.Ports(pod);
        var h2c = path == "h2c-pod";
        var service = AnnotatedService("app", h2c ? ports[1] : ports[0], h2c ? new Dictionary<string, string> { ["backend-protocol"] = "h2c" } : [], new Yaml.Endpoint(address, "app-0"));
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + service + RewritingIngress("rewritten", "/rewritten") + RewritingIngress("plain", "/plain", rewrite: false) },
            Cancel,
            configure: o => o with { Http1Forwarder = path == "yarp" ? Http1ForwarderKind.Yarp : Http1ForwarderKind.Lean });
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{onehop.Port("http")}") };
        client.DefaultRequestHeaders.Host = "Shop.Example.org:8443";

        using var rewritten = await client.GetAsync(new Uri("/rewritten", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Found, rewritten.StatusCode);
        Assert.Equal("https://shop.example.org/next?x=1", rewritten.Headers.Location?.OriginalString);
        Assert.Equal("3; url=https://shop.example.org/r", string.Join(",", rewritten.Headers.GetValues("Refresh")));
        Assert.Equal(
            ["sid=1; Domain=.shop.example.org; Path=/one; HttpOnly", "other=2; path=/else; domain=elsewhere.test", "plain=3"],
            rewritten.Headers.GetValues("Set-Cookie"));

        using var plain = await client.GetAsync(new Uri("/plain", UriKind.Relative), Cancel);
        Assert.Equal(PodLocation, plain.Headers.Location?.OriginalString);
        Assert.Equal("sid=1; Domain=.Pod.Internal; Path=/app/one; HttpOnly", plain.Headers.GetValues("Set-Cookie").First());
    }

    private static string RewritingIngress(string name, string path, bool rewrite = true) => $$"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: {{name}}
          annotations:
            nginx.ingress.kubernetes.io/proxy-redirect-from: "{{(rewrite ? "http://pod.internal:8080/app/" : "off")}}"
            nginx.ingress.kubernetes.io/proxy-redirect-to: "https://$host/"
            nginx.ingress.kubernetes.io/proxy-cookie-domain: "{{(rewrite ? "pod.internal shop.example.org" : "off")}}"
            nginx.ingress.kubernetes.io/proxy-cookie-path: "{{(rewrite ? "/app/ /" : "off")}}"
        spec:
          rules:
            - host: shop.example.org
              http:
                paths:
                  - path: {{path}}
                    pathType: Prefix
                    backend:
                      service:
                        name: app
                        port: {number: 80}

        """;
}
