using OneHop.Core.Demo;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's canary with cookie affinity on the main Ingress, through a real OneHop to real pods: a session the
/// main Service served stays on its pod whatever the canary's weight; with <c>affinity-canary-behavior: sticky</c> (the
/// default) a session the canary served stays there too, with <c>legacy</c> the canary sets no cookie.
/// </summary>
public sealed class NginxCanaryAffinityEndToEndTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sticky")]
    [InlineData("legacy")]
    public async Task A_session_stays_with_the_service_and_pod_that_served_it(string behavior)
    {
        await using var stable = await TestPods.StartAsync("stable", 2, Cancel);
        await using var next = await TestPods.StartAsync("next", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = Yaml.DefaultClass + Yaml.Service("stable", stable) + Yaml.Service("next", next)
                    + Yaml.NginxIngress("main", "shop.example.org", "stable", annotations: ["affinity: cookie", "session-cookie-name: route"])
                    + Yaml.NginxIngress("canary", "shop.example.org", "next", annotations: ["canary: \"true\"", "canary-weight: \"50\"", $"affinity-canary-behavior: {behavior}"]),
            },
            Cancel);
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = onehop.Proxy.BaseAddress };
        var firsts = new List<string>();
        for (var session = 0; session < 16; session++)
        {
            var (pod, cookie) = await SendAsync(client, null);
            firsts.Add(pod);
            if (pod == "next-0" && behavior == "legacy")
            {
                Assert.Null(cookie);
                continue;
            }

            Assert.NotNull(cookie);
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(pod, (await SendAsync(client, cookie)).Pod);
            }
        }

        // Half of the new sessions go to the canary: all 16 on one side has odds of 2 in 65,536.
        Assert.Contains("next-0", firsts);
        Assert.Contains(firsts, p => p.StartsWith("stable-", StringComparison.Ordinal));
    }

    /// <summary>One GET with <paramref name="cookie"/>: the pod that answered and the affinity cookie it was given, if any.</summary>
    private static async Task<(string Pod, string? Cookie)> SendAsync(HttpClient client, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "shop.example.org" } };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await client.SendAsync(request, Cancel);
        Assert.Equal(200, (int)response.StatusCode);
        var given = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single(v => v.StartsWith("route=", StringComparison.Ordinal)).Split(';')[0] : null;
        return (response.Headers.GetValues(DemoPod.PodHeader).Single(), given);
    }
}
