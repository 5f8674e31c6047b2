using System.Net;
using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's controller ConfigMap (<c>--nginx-configmap</c>) through a real OneHop: from the manifest directory and
/// from the API test server, a change of the ConfigMap changes what clients get (413, 308, Strict-Transport-Security),
/// and a bad value leaves the last good one in force.
/// </summary>
public sealed class NginxControllerConfigEndToEndTests(PodNamespaceFixture fixture) : IClassFixture<PodNamespaceFixture>
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task From_the_manifest_directory_hsts_redirect_and_body_size_follow_the_configmap()
    {
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods) + Yaml.TlsIngress("shop", "shop.example.org", "shop-tls", "shop"),
            ["secret.yaml"] = TestCertificates.Secret("shop-tls", ca.Issue("shop.example.org")),
            ["controller.yaml"] = ControllerMapYaml("hsts: \"true\"", "hsts-max-age: \"600\"", "proxy-body-size: 1k"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, https: true, handler: new HttpClientHandler { AllowAutoRedirect = false }, configure: o => o with { NginxConfigMap = MapKey });
        using var client = ca.Client(onehop.Port("https"));

        using (var secure = await client.Http.GetAsync(client.Url("shop.example.org", "/"), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
            Assert.Equal("max-age=600; includeSubDomains", secure.Headers.GetValues("Strict-Transport-Security").Single());
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(client.Http, client.Url("shop.example.org", "/upload"), 2000));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client.Http, client.Url("shop.example.org", "/upload"), 1000));
        Assert.Equal(308, (await onehop.GetAsync("/", Cancel, host: "shop.example.org")).Status);

        await onehop.WriteManifestAsync("controller.yaml", ControllerMapYaml("ssl-redirect: \"false\""), Cancel);
        await OneHopInstance.EventuallyAsync(async () => (await onehop.GetAsync("/", Cancel, host: "shop.example.org")).Status == 200, TimeSpan.FromSeconds(10), "ssl-redirect false to apply", Cancel);
        using var after = await client.Http.GetAsync(client.Url("shop.example.org", "/"), Cancel);
        Assert.False(after.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client.Http, client.Url("shop.example.org", "/upload"), 2000));
    }

    [Fact]
    public async Task From_the_api_a_changed_configmap_changes_the_answers_and_a_bad_value_keeps_the_last_good_one()
    {
        var pods = await fixture.GetAsync(Cancel);
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(KubeObjects.DefaultClass());
        api.Create(KubeObjects.Service("web"));
        api.Create(KubeObjects.Slice("web", pods, ["web-0"]));
        api.Create(KubeObjects.Ingress("shop", "shop.example.org", "web"));
        api.Create(ControllerMap(new() { ["proxy-body-size"] = "1k" }));
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, configure: o => o with { NginxConfigMap = MapKey });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = onehop.Proxy.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Host = "shop.example.org";
        async Task<int> GetAsync() => (int)(await http.GetAsync(new Uri("/", UriKind.Relative), Cancel)).StatusCode;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(http, new Uri("/upload", UriKind.Relative), 2000));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, new Uri("/upload", UriKind.Relative), 1000));

        api.Replace(ControllerMap(new() { ["force-ssl-redirect"] = "true" }));
        await OneHopInstance.EventuallyAsync(async () => await GetAsync() == 308, TimeSpan.FromSeconds(10), "force-ssl-redirect to apply", Cancel);

        api.Replace(ControllerMap(new() { ["force-ssl-redirect"] = "true", ["proxy-body-size"] = "1 kb" }));
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).ToString() is var status && status.Contains("InvalidConfigMapEntry", StringComparison.Ordinal) && status.Contains("data[proxy-body-size]", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the bad proxy-body-size to be reported in /api/status",
            Cancel);
        Assert.Equal(308, await GetAsync());

        api.Replace(ControllerMap(new() { ["proxy-body-size"] = "1k" }));
        await OneHopInstance.EventuallyAsync(async () => await GetAsync() == 200, TimeSpan.FromSeconds(10), "the redirect to go", Cancel);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(http, new Uri("/upload", UriKind.Relative), 2000));
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, Uri url, int length)
    {
        using var response = await http.PostAsync(url, new ByteArrayContent(new byte[length]), Cancel);
        return response.StatusCode;
    }

    private static V1ConfigMap ControllerMap(Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = MapKey.Name, NamespaceProperty = MapKey.Namespace },
        Data = data,
    };

    private static string ControllerMapYaml(params string[] data) => Yaml.NginxControllerMap(MapKey, data);
}
