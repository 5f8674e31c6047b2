using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>
/// HTTP→HTTPS redirects through a real OneHop: to the public HTTPS port (not the listener's), never for ACME HTTP-01
/// challenges, and a bad port in the config or an annotation leaves the last good redirects in force.
/// </summary>
public sealed class RedirectTests
{
    [Fact]
    public async Task Redirects_name_the_public_port_not_the_listeners()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("shop", 1, ct);
        var manifests = Shop(pods, ca);
        manifests["api.yaml"] = Yaml.TlsIngress("api", "api.example.org", "shop-tls", "shop", new Dictionary<string, string> { ["ssl-redirect-port"] = "9443" });
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true, handler: new HttpClientHandler { AllowAutoRedirect = false });
        Assert.NotEqual(443, onehop.Port("https"));

        // Default: 443, so the Location has no port although OneHop listens elsewhere (a firewall or hostPort maps it).
        Assert.Equal("https://shop.example.org/cart?item=7", await LocationAsync(onehop, "shop.example.org", "/cart?item=7", ct));
        Assert.Equal("https://api.example.org:9443/", await LocationAsync(onehop, "api.example.org", "/", ct));
    }

    /// <summary>ingress-nginx's http-redirect-code: the status of the HTTPS redirects, and an edit back to the default applies live.</summary>
    [Fact]
    public async Task Http_redirect_code_of_the_configmap_is_the_redirects_status()
    {
        var ct = TestContext.Current.CancellationToken;
        var map = new Core.State.ObjectKey("ingress-nginx", "ingress-nginx-controller");
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("shop", 1, ct);
        var manifests = Shop(pods, ca);
        manifests["controller.yaml"] = Yaml.NginxControllerMap(map, "http-redirect-code: \"301\"");
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true, handler: new HttpClientHandler { AllowAutoRedirect = false }, configure: o => o with { NginxConfigMap = map });
        Assert.Equal("https://shop.example.org/cart", await LocationAsync(onehop, "shop.example.org", "/cart", ct, HttpStatusCode.MovedPermanently));

        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(map, "proxy-body-size: 1m"), ct);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.Proxy.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "shop.example.org" } }, ct)).StatusCode == HttpStatusCode.PermanentRedirect,
            TimeSpan.FromSeconds(10),
            "the default 308 back",
            ct);
    }

    [Fact]
    public async Task The_configured_redirect_port_applies_live_and_a_bad_one_is_rejected_keeping_the_last_good()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("shop", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(
            Shop(pods, ca),
            ct,
            config: "tls: {redirectPort: 8443}\n",
            https: true,
            handler: new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Equal("https://shop.example.org:8443/", await LocationAsync(onehop, "shop.example.org", "/", ct));

        await onehop.WriteConfigAsync("tls: {redirectPort: 10443}\n", ct);
        await OneHopInstance.EventuallyAsync(
            async () => await LocationAsync(onehop, "shop.example.org", "/", ct) == "https://shop.example.org:10443/",
            TimeSpan.FromSeconds(10),
            "the new redirect port",
            ct);

        await onehop.WriteConfigAsync("tls: {redirectPort: 70000}\n", ct);
        await ReportedAsync(onehop, "ConfigError", "tls.redirectPort", "70000 is not a port", ct);
        Assert.Equal("https://shop.example.org:10443/", await LocationAsync(onehop, "shop.example.org", "/", ct));
    }

    [Fact]
    public async Task A_bad_redirect_port_annotation_is_reported_and_the_ingress_keeps_its_last_good_version()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("shop", 1, ct);
        Dictionary<string, string> WithPort(string port) => Shop(pods, ca, new Dictionary<string, string> { ["ssl-redirect-port"] = port });
        await using var onehop = await OneHopInstance.StartAsync(
            WithPort("8443"),
            ct,
            https: true,
            handler: new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Equal("https://shop.example.org:8443/", await LocationAsync(onehop, "shop.example.org", "/", ct));

        await onehop.WriteManifestAsync("shop.yaml", WithPort("84430")["shop.yaml"], ct);
        await ReportedAsync(onehop, "InvalidAnnotation", "metadata.annotations[onehop.dev/ssl-redirect-port]", "'84430' is not a port", ct);
        await ReportedAsync(onehop, "LastGoodKept", null, "routing stays as its last good version", ct);
        Assert.Equal("https://shop.example.org:8443/", await LocationAsync(onehop, "shop.example.org", "/", ct));
    }

    [Fact]
    public async Task Acme_http01_challenges_reach_the_solver_over_plain_http_on_a_tls_host()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var shop = await TestPods.StartAsync("shop", 1, ct);
        await using var solver = await TestPods.StartAsync("cm-acme-http-solver", 1, ct);
        var manifests = Shop(shop, ca);

        // As cert-manager's HTTP-01 solver creates it: the token's path, no spec.tls, on the host being renewed.
        manifests["solver.yaml"] = Yaml.Service("cm-acme-http-solver", solver)
            + Yaml.Ingress("cm-acme-http-solver-x2x7k", ("shop.example.org", "/.well-known/acme-challenge/Zm9vYmFyLXRva2Vu", "ImplementationSpecific", "cm-acme-http-solver"));
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true, handler: new HttpClientHandler { AllowAutoRedirect = false });

        var (status, pod, _) = await onehop.GetAsync("/.well-known/acme-challenge/Zm9vYmFyLXRva2Vu", ct, host: "shop.example.org");
        var (otherStatus, _, _) = await onehop.GetAsync("/.well-known/other", ct, host: "shop.example.org");
        var (rootStatus, _, _) = await onehop.GetAsync("/", ct, host: "shop.example.org");

        Assert.Equal((200, "cm-acme-http-solver-0"), (status, pod));
        Assert.Equal(308, otherStatus);
        Assert.Equal(308, rootStatus);
    }

    /// <summary>Waits for a diagnostic in /api/status with this code, field (none when null) and text in its message.</summary>
    private static Task ReportedAsync(OneHopInstance onehop, string code, string? field, string text, CancellationToken ct) =>
        OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(ct)).GetProperty("diagnostics").EnumerateArray().Any(d =>
                d.GetProperty("code").GetString() == code
                && (d.TryGetProperty("field", out var f) ? f.GetString() : null) == field
                && d.GetProperty("message").GetString()!.Contains(text, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            $"{code} {field} in /api/status",
            ct);

    /// <summary>The shop: one pod behind a TLS Ingress for shop.example.org, with these annotations.</summary>
    private static Dictionary<string, string> Shop(TestPods pods, TestCertificates ca, IReadOnlyDictionary<string, string>? annotations = null) => new()
    {
        ["class.yaml"] = Yaml.DefaultClass,
        ["shop.yaml"] = Yaml.Service("shop", pods) + Yaml.TlsIngress("shop", "shop.example.org", "shop-tls", "shop", annotations),
        ["secret.yaml"] = TestCertificates.Secret("shop-tls", ca.Issue("shop.example.org", "api.example.org")),
    };

    private static async Task<string?> LocationAsync(OneHopInstance onehop, string host, string path, CancellationToken ct, HttpStatusCode status = HttpStatusCode.PermanentRedirect)
    {
        using var response = await onehop.Proxy.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Host = host } }, ct);
        Assert.Equal(status, response.StatusCode);
        return response.Headers.Location?.ToString();
    }
}
