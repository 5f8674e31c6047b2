using System.Net;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.Ingresses.Nginx.NginxManifests;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>server-alias</c> through a real OneHop adopting the <c>nginx</c> class, to demo pods: an alias
/// reaches its host's pods, and an alias that is another Ingress's host is dropped, so that host keeps its own pods.
/// </summary>
public sealed class NginxAliasEndToEndTests
{
    [Fact]
    public async Task An_alias_reaches_the_host_s_pods_and_a_host_of_another_ingress_stays_its_own()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var one = await TestPods.StartAsync("one", 1, ct);
        await using var two = await TestPods.StartAsync("two", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["class.yaml"] = IngressClass,
                ["one.yaml"] = Yaml.Service("one", one) + Yaml.NginxIngress("aliased", "alias.bar.com", "one", ingressClass: "nginx", annotations: "server-alias: \"www.alias.bar.com, taken.bar.com\""),
                ["two.yaml"] = Yaml.Service("two", two) + Yaml.NginxIngress("owner", "taken.bar.com", "two", ingressClass: "nginx"),
            },
            ct,
            configure: o => o with { AdoptIngressNginx = true });
        await OneHopInstance.EventuallyAsync(async () => await PodAsync(onehop, "alias.bar.com", ct) == "one-0", TimeSpan.FromSeconds(10), "the Ingress to be served", ct);

        Assert.Equal("one-0", await PodAsync(onehop, "www.alias.bar.com", ct));
        Assert.Equal("two-0", await PodAsync(onehop, "taken.bar.com", ct));
        Assert.Equal("404", await PodAsync(onehop, "other.bar.com", ct));
    }

    /// <summary>The pod that answered a request for <paramref name="host"/>, or the status when none did.</summary>
    private static async Task<string> PodAsync(OneHopInstance onehop, string host, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Host = host;
        using var response = await onehop.Proxy.SendAsync(request, ct);
        return response.StatusCode == HttpStatusCode.OK && response.Headers.TryGetValues(OneHop.Core.Demo.DemoPod.PodHeader, out var pod) ? pod.First() : $"{(int)response.StatusCode}";
    }

}
