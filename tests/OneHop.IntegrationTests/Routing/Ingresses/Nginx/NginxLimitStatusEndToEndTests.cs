using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// The controller ConfigMap's <c>limit-req-status-code</c> through a real OneHop: a request over an Ingress's
/// <c>limit-rpm</c> is answered with the ConfigMap's status (429 here) instead of 503.
/// </summary>
public sealed class NginxLimitStatusEndToEndTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_over_the_rate_gets_the_configmap_s_status()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["web.yaml"] = Yaml.Service("web", pods) + Yaml.NginxIngress("limited", "limited.example.org", "web", "/", null, "limit-rpm: \"1\"", "limit-burst-multiplier: \"1\""),
            ["controller.yaml"] = Yaml.NginxControllerMap(MapKey, "limit-req-status-code: \"429\""),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, configure: o => o with { NginxConfigMap = MapKey });

        // A burst of 1 × 1 and the request at hand: two pass, the third is over the rate.
        Assert.Equal(200, (await onehop.GetAsync("/", Cancel, "limited.example.org")).Status);
        Assert.Equal(200, (await onehop.GetAsync("/", Cancel, "limited.example.org")).Status);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "limited.example.org";
        using var refused = await onehop.Proxy.SendAsync(request, Cancel);
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("rate-limited", refused.Headers.GetValues("X-OneHop-Error").Single());
    }
}
