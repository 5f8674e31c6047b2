using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Demo;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's header settings through a real OneHop fed by the API test server: an Ingress's custom-headers
/// ConfigMap and the controller ConfigMap's add-headers and hide-headers reach the client; ConfigMaps named while OneHop
/// runs are read and their edits apply; a refused header keeps the last good ones. The same for an Ingress's
/// auth-proxy-set-headers, whose headers reach its auth-url service.
/// </summary>
public sealed class NginxHeadersEndToEndTests(PodNamespaceFixture fixture) : IClassFixture<PodNamespaceFixture>
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Configmaps_named_by_the_ingress_and_the_controller_map_set_the_headers_and_their_edits_apply()
    {
        var pods = await fixture.GetAsync(Cancel);
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(KubeObjects.DefaultClass());
        api.Create(KubeObjects.Service("web"));
        api.Create(KubeObjects.Slice("web", pods, ["web-0"]));
        api.Create(Map(MapKey.Namespace, MapKey.Name, new() { ["global-allowed-response-headers"] = "X-Shop,X-Frame-Options", ["add-headers"] = "ingress-nginx/add", ["hide-headers"] = DemoPod.PodHeader }));
        api.Create(Map("ingress-nginx", "add", new() { ["X-Frame-Options"] = "DENY" }));
        api.Create(Map("default", "shop-headers", new() { ["X-Shop"] = "one" }));
        api.Create(Map("default", "late-headers", new() { ["X-Shop"] = "late" }));
        api.Create(Ingress("default/shop-headers"));
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, configure: o => o with { NginxConfigMap = MapKey });
        using var http = new HttpClient { BaseAddress = onehop.Proxy.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Host = "shop.example.org";
        async Task<string> ShopAsync()
        {
            // The Ingress's header, with add-headers' and without the pod's hidden one.
            using var response = await http.GetAsync(new Uri("/", UriKind.Relative), Cancel);
            string Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "none";
            return Header("X-Frame-Options") == "DENY" && Header(DemoPod.PodHeader) == "none" ? Header("X-Shop") : $"without add-headers or with the pod's header ({(int)response.StatusCode} {Header("X-OneHop-Error")} {response.Content.Headers.ContentLength})";
        }

        // The first sync reads the named ConfigMaps after the Ingress that names them: under a loaded suite that takes longer.
        var last = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((last = await ShopAsync()) != "one")
        {
            if (DateTime.UtcNow >= deadline)
            {
                var routes = await onehop.Admin.GetStringAsync("/api/routes", Cancel);
                Assert.Fail($"timed out after 30s waiting for the custom header; last answer: {last}; X-Shop in routes: {routes.Contains("X-Shop", StringComparison.OrdinalIgnoreCase)}; shop-headers: {routes.Contains("shop-headers", StringComparison.Ordinal)}");
            }

            await Task.Delay(20, Cancel);
        }

        api.Replace(Map("default", "shop-headers", new() { ["X-Shop"] = "two" }));
        await OneHopInstance.EventuallyAsync(async () => await ShopAsync() == "two", TimeSpan.FromSeconds(10), "the edited custom header", Cancel);

        // A ConfigMap that existed, unread, before the Ingress named it.
        api.Replace(Ingress("default/late-headers"));
        await OneHopInstance.EventuallyAsync(async () => await ShopAsync() == "late", TimeSpan.FromSeconds(10), "the newly named ConfigMap's header", Cancel);

        api.Replace(Map("default", "late-headers", new() { ["X-Shop"] = "late", ["X-Powered-By"] = "PHP" }));
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).ToString() is var status && status.Contains("X-Powered-By is not allowed", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the unallowed header to be reported in /api/status",
            Cancel);
        Assert.Equal("late", await ShopAsync());
    }

    [Fact]
    public async Task The_auth_proxy_set_headers_configmap_reaches_the_auth_service_and_its_edits_apply()
    {
        var pods = await fixture.GetAsync(Cancel);
        await using var auth = await AuthService.StartAsync(Cancel);
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(KubeObjects.DefaultClass());
        api.Create(KubeObjects.Service("web"));
        api.Create(KubeObjects.Slice("web", pods, ["web-0"]));
        api.Create(Map("default", "auth-headers", new() { ["X-Auth-Source"] = "onehop", ["X-Original-Host"] = "$host" }));
        var ingress = KubeObjects.Ingress("shop", "shop.example.org", "web");
        ingress.Metadata.Annotations = new Dictionary<string, string>
        {
            ["nginx.ingress.kubernetes.io/auth-url"] = $"http://{auth.Address}:{auth.Port}/ok",
            ["nginx.ingress.kubernetes.io/auth-proxy-set-headers"] = "default/auth-headers",
        };
        api.Create(ingress);
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel);
        using var http = new HttpClient { BaseAddress = onehop.Proxy.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Host = "shop.example.org";
        async Task<string> SourceAsync()
        {
            using var response = await http.GetAsync(new Uri("/", UriKind.Relative), Cancel);
            var call = auth.Calls.LastOrDefault();
            return response.IsSuccessStatusCode && call?.Header("X-Original-Host") == "shop.example.org" ? call.Header("X-Auth-Source") ?? "none" : $"{(int)response.StatusCode}";
        }

        await OneHopInstance.EventuallyAsync(async () => await SourceAsync() == "onehop", TimeSpan.FromSeconds(30), "the auth service to get the ConfigMap's headers", Cancel);

        api.Replace(Map("default", "auth-headers", new() { ["X-Auth-Source"] = "edited", ["X-Original-Host"] = "$host" }));
        await OneHopInstance.EventuallyAsync(async () => await SourceAsync() == "edited", TimeSpan.FromSeconds(10), "the edited header", Cancel);

        // An unknown variable is reported and the last good headers stay.
        api.Replace(Map("default", "auth-headers", new() { ["X-Auth-Source"] = "$request_body" }));
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).ToString().Contains("$request_body is not an nginx variable", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the unknown variable to be reported in /api/status",
            Cancel);
        Assert.Equal("edited", await SourceAsync());
    }

    private static V1Ingress Ingress(string customHeaders)
    {
        var ingress = KubeObjects.Ingress("shop", "shop.example.org", "web");
        ingress.Metadata.Annotations = new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/custom-headers"] = customHeaders };
        return ingress;
    }

    private static V1ConfigMap Map(string ns, string name, Dictionary<string, string> data) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Data = data,
    };
}
