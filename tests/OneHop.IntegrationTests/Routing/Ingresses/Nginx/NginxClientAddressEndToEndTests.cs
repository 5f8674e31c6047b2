using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's client-address keys of the controller ConfigMap through a real OneHop, the test client on loopback
/// playing the load balancer in front: with <c>use-forwarded-headers</c> and a <c>proxy-real-ip-cidr</c> covering
/// 127.0.0.0/8, the X-Forwarded-For it sends is the client for <c>whitelist-source-range</c> and for what the pod
/// sees; without, it is not believed; each ConfigMap edit applies live.
/// </summary>
public sealed class NginxClientAddressEndToEndTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_forwarded_client_is_allowed_or_denied_and_seen_by_the_pod_as_the_configmap_says_live()
    {
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods)
                + Yaml.NginxIngress("shop", "shop.example.org", "shop", annotations: "whitelist-source-range: 203.0.113.0/24")
                + Yaml.NginxIngress("echo", "echo.example.org", "shop"),
            ["controller.yaml"] = ControllerMapYaml("proxy-body-size: 1m"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { NginxConfigMap = MapKey });

        // Default (use-forwarded-headers false): the header is the client's word, not believed.
        Assert.Equal(403, (await SendAsync(onehop, "shop.example.org", "203.0.113.7")).Status);
        var plain = await SendAsync(onehop, "echo.example.org", "203.0.113.7");
        Assert.Contains("X-Forwarded-For: 127.0.0.1\n", plain.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Real-IP: 127.0.0.1\n", plain.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-Proto: http\n", plain.Body, StringComparison.OrdinalIgnoreCase);
        Assert.False((await onehop.StatusAsync(Cancel)).TryGetProperty("trustedProxies", out _));

        await onehop.WriteManifestAsync("controller.yaml", ControllerMapYaml("use-forwarded-headers: \"true\"", "proxy-real-ip-cidr: 127.0.0.0/8"), Cancel);
        await OneHopInstance.EventuallyAsync(async () => (await SendAsync(onehop, "shop.example.org", "203.0.113.7")).Status == 200, TimeSpan.FromSeconds(10), "use-forwarded-headers to apply", Cancel);

        // /api/status says which peers are believed now, and about what.
        var trusted = (await onehop.StatusAsync(Cancel)).GetProperty("trustedProxies");
        Assert.Equal("127.0.0.0/8", Assert.Single(trusted.GetProperty("networks").EnumerateArray()).GetString());
        Assert.Equal("X-Forwarded-For", trusted.GetProperty("header").GetString());
        Assert.True(trusted.GetProperty("trustsForwardedProtoHostPort").GetBoolean());
        Assert.False(trusted.GetProperty("appendsForwardedFor").GetBoolean());

        // The load balancer's client is allowed, anyone else it names is not, and the balancer itself is not either; a
        // spoofed address left of the client changes nothing, and a kept-alive connection starts from its own address again.
        Assert.Equal(403, (await SendAsync(onehop, "shop.example.org", "198.51.100.1")).Status);
        Assert.Equal(403, (await SendAsync(onehop, "shop.example.org", null)).Status);
        Assert.Equal(200, (await SendAsync(onehop, "shop.example.org", "198.51.100.1, 203.0.113.7")).Status);
        Assert.Equal(403, (await SendAsync(onehop, "shop.example.org", "203.0.113.7, 198.51.100.1")).Status);
        Assert.Equal(403, (await SendAsync(onehop, "shop.example.org", "203.0.113.7, garbage")).Status);
        var seen = await SendAsync(onehop, "echo.example.org", "198.51.100.1, 203.0.113.7, 127.0.0.2");
        Assert.Contains("X-Forwarded-For: 203.0.113.7\n", seen.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Real-IP: 203.0.113.7\n", seen.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-Proto: https\n", seen.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-Host: www.example.org\n", seen.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-Port: 443\n", seen.Body, StringComparison.OrdinalIgnoreCase);

        // compute-full-forwarded-for: the pod gets the chain received with the balancer added; X-Real-IP stays the client.
        await onehop.WriteManifestAsync("controller.yaml", ControllerMapYaml("use-forwarded-headers: \"true\"", "compute-full-forwarded-for: \"true\"", "proxy-real-ip-cidr: 127.0.0.0/8"), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await SendAsync(onehop, "echo.example.org", "203.0.113.7")).Body.Contains("X-Forwarded-For: 203.0.113.7, 127.0.0.1\n", StringComparison.OrdinalIgnoreCase),
            TimeSpan.FromSeconds(10),
            "compute-full-forwarded-for to apply",
            Cancel);
        Assert.Contains("X-Real-IP: 203.0.113.7\n", (await SendAsync(onehop, "echo.example.org", "203.0.113.7")).Body, StringComparison.OrdinalIgnoreCase);

        // enable-real-ip alone: the address is believed, the scheme is not.
        await onehop.WriteManifestAsync("controller.yaml", ControllerMapYaml("enable-real-ip: \"true\"", "proxy-real-ip-cidr: 127.0.0.0/8"), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await SendAsync(onehop, "echo.example.org", "203.0.113.7")).Body.Contains("X-Forwarded-Proto: http\n", StringComparison.OrdinalIgnoreCase),
            TimeSpan.FromSeconds(10),
            "enable-real-ip to apply",
            Cancel);
        Assert.Equal(200, (await SendAsync(onehop, "shop.example.org", "203.0.113.7")).Status);
        Assert.Contains("X-Real-IP: 203.0.113.7\n", (await SendAsync(onehop, "echo.example.org", "203.0.113.7")).Body, StringComparison.OrdinalIgnoreCase);

        // A bad proxy-real-ip-cidr is reported and the last good ConfigMap stays in force.
        await onehop.WriteManifestAsync("controller.yaml", ControllerMapYaml("enable-real-ip: \"true\"", "proxy-real-ip-cidr: 127.0.0.0/8, the-balancer"), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).ToString() is var status && status.Contains("InvalidConfigMapEntry", StringComparison.Ordinal) && status.Contains("data[proxy-real-ip-cidr]", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the bad proxy-real-ip-cidr to be reported in /api/status",
            Cancel);
        Assert.Equal(200, (await SendAsync(onehop, "shop.example.org", "203.0.113.7")).Status);

        // A proxy-real-ip-cidr that leaves loopback out: the same header is not believed any more.
        await onehop.WriteManifestAsync("controller.yaml", ControllerMapYaml("use-forwarded-headers: \"true\"", "proxy-real-ip-cidr: 10.0.0.0/8"), Cancel);
        await OneHopInstance.EventuallyAsync(async () => (await SendAsync(onehop, "shop.example.org", "203.0.113.7")).Status == 403, TimeSpan.FromSeconds(10), "proxy-real-ip-cidr without loopback to apply", Cancel);
        Assert.Contains("X-Forwarded-For: 127.0.0.1\n", (await SendAsync(onehop, "echo.example.org", "203.0.113.7")).Body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A request as the load balancer in front sends it: the client in X-Forwarded-For (none when null), TLS terminated, the public host and port.</summary>
    private static async Task<(int Status, string Body)> SendAsync(OneHopInstance onehop, string host, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Host = host;
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "www.example.org");
        request.Headers.Add("X-Forwarded-Port", "443");
        using var response = await onehop.Proxy.SendAsync(request, Cancel);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    private static string ControllerMapYaml(params string[] data) => Yaml.NginxControllerMap(MapKey, data);
}
