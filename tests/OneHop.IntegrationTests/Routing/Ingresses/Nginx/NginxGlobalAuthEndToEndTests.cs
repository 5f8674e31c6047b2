using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// The controller ConfigMap's <c>global-auth-*</c> (ingress-nginx's global external authentication) through a real
/// OneHop to a real authentication service: every Ingress without an <c>auth-url</c> of its own asks it,
/// <c>enable-global-auth: "false"</c> opts out, an Ingress's own <c>auth-url</c> replaces it, <c>no-auth-locations</c>
/// (default <c>/.well-known/acme-challenge</c>) is never authenticated, and a bad <c>global-auth-url</c> keeps the last
/// good one.
/// </summary>
public sealed class NginxGlobalAuthEndToEndTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_ingress_without_its_own_auth_url_asks_the_global_one()
    {
        await using var auth = await AuthService.StartAsync(Cancel);
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var url = $"http://{auth.Address}:{auth.Port}";
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods)
                + Yaml.NginxIngress("guarded", "guarded.example.org", "shop")
                + Yaml.NginxIngress("acme", "guarded.example.org", "shop", "/.well-known/acme-challenge")
                + Yaml.NginxIngress("public", "guarded.example.org", "shop", "/public")
                + Yaml.NginxIngress("opted-out", "opted-out.example.org", "shop", annotations: "enable-global-auth: \"false\"")
                + Yaml.NginxIngress("own", "own.example.org", "shop", annotations: $"auth-url: \"{url}/ok\""),
            ["controller.yaml"] = ControllerMap($"global-auth-url: \"{url}/forbidden\""),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { NginxConfigMap = MapKey });
        async Task<int> StatusAsync(string host, string path) => (await onehop.GetAsync(path, Cancel, host: host)).Status;

        Assert.Equal(403, await StatusAsync("guarded.example.org", "/page"));
        Assert.Equal(200, await StatusAsync("guarded.example.org", "/.well-known/acme-challenge/token"));
        Assert.Equal(403, await StatusAsync("guarded.example.org", "/public/page"));
        Assert.Equal(200, await StatusAsync("opted-out.example.org", "/page"));
        Assert.Equal(200, await StatusAsync("own.example.org", "/page"));
        Assert.Equal("/forbidden", auth.Last("guarded.example.org/page").Target);
        Assert.Equal("/ok", auth.Last("own.example.org/page").Target);
        Assert.DoesNotContain(auth.Calls, c => c.Header("X-Original-URL")?.Contains("opted-out", StringComparison.Ordinal) == true);

        // no-auth-locations replaces the default list: /public is let through, the ACME path is asked about again.
        await onehop.WriteManifestAsync("controller.yaml", ControllerMap($"global-auth-url: \"{url}/forbidden\"", "no-auth-locations: \"/public\""), Cancel);
        await OneHopInstance.EventuallyAsync(async () => await StatusAsync("guarded.example.org", "/public/page") == 200, TimeSpan.FromSeconds(10), "no-auth-locations to apply", Cancel);
        Assert.Equal(403, await StatusAsync("guarded.example.org", "/.well-known/acme-challenge/token"));

        await onehop.WriteManifestAsync("controller.yaml", ControllerMap($"global-auth-url: \"{url}/ok\""), Cancel);
        await OneHopInstance.EventuallyAsync(async () => await StatusAsync("guarded.example.org", "/page") == 200, TimeSpan.FromSeconds(10), "the new global-auth-url to apply", Cancel);

        // A URL that is not absolute is reported, and the last good ConfigMap stays in force.
        await onehop.WriteManifestAsync("controller.yaml", ControllerMap("global-auth-url: \"/forbidden\""), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).ToString() is var status && status.Contains("InvalidConfigMapEntry", StringComparison.Ordinal) && status.Contains("data[global-auth-url]", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the bad global-auth-url to be reported in /api/status",
            Cancel);
        Assert.Equal(200, await StatusAsync("guarded.example.org", "/page"));
        Assert.Equal("/ok", auth.Last("guarded.example.org/page").Target);
    }


    private static string ControllerMap(params string[] data) => Yaml.NginxControllerMap(MapKey, data);
}
