using System.Text;
using OneHop.Core.Balancing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Tests.Balancing;

public sealed class CookieAffinityPolicyTests
{
    private const string Cookie = "onehop-affinity";
    private static readonly string[] Pods = BalancerHarness.Ids(3);

    [Fact]
    public async Task A_new_session_gets_a_cookie_that_pins_it_to_its_pod()
    {
        var harness = new BalancerHarness();
        harness.Publish(Pods);
        var policy = harness.Create(BalancingAlgorithms.Cookie);

        var (pod, setCookie) = await Issue(harness, policy);

        Assert.StartsWith($"{Cookie}=", setCookie, StringComparison.Ordinal);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("10.0.", setCookie, StringComparison.Ordinal);

        // Even when its pod is the busiest, the session stays, and no new cookie is sent.
        BalancerHarness.Load(pod, 10);
        for (var i = 0; i < 20; i++)
        {
            var (context, response) = StartableResponseFeature.Request(CookieHeader(setCookie));
            Assert.Same(pod, harness.Pick(policy, context));
            await response.StartAsync();
            Assert.Equal(0, context.Response.Headers.SetCookie.Count);
        }
    }

    [Fact]
    public async Task The_session_survives_other_pods_joining_and_other_replicas_honour_it()
    {
        var harness = new BalancerHarness();
        harness.Publish(Pods);
        var (pod, setCookie) = await Issue(harness, harness.Create(BalancingAlgorithms.Cookie));

        var scaled = harness.Publish([.. Pods, .. BalancerHarness.Ids(5, first: 10)]);
        var (context, _) = StartableResponseFeature.Request(CookieHeader(setCookie));
        Assert.Equal(pod.Id, harness.Pick(harness.Create(BalancingAlgorithms.Cookie), context).Id);

        var replica = new BalancerHarness(new SeededRandom(99));
        replica.Publish([.. scaled.Select(d => d.Id).Reverse()]);
        Assert.Equal(pod.Id, replica.Pick(replica.Create(BalancingAlgorithms.Cookie), context).Id);
    }

    [Fact]
    public async Task When_its_pod_is_gone_the_session_moves_and_gets_a_new_cookie()
    {
        var harness = new BalancerHarness();
        harness.Publish(Pods);
        var policy = harness.Create(BalancingAlgorithms.Cookie);
        var (pod, setCookie) = await Issue(harness, policy);

        harness.Publish([.. Pods.Where(id => id != pod.Id)]);
        var (context, response) = StartableResponseFeature.Request(CookieHeader(setCookie));
        var moved = harness.Pick(policy, context);
        await response.StartAsync();

        Assert.NotEqual(pod.Id, moved.Id);
        var renewed = Assert.Single(context.Response.Headers.SetCookie)!;
        var (again, _) = StartableResponseFeature.Request(CookieHeader(renewed));
        Assert.Same(moved, harness.Pick(policy, again));
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("10.0.0.2:8080")]
    [InlineData("MTAuMC4wLjI6ODA4MA")]
    public async Task A_forged_or_garbled_cookie_is_ignored_and_replaced(string value)
    {
        var harness = new BalancerHarness();
        harness.Publish(Pods);
        var policy = harness.Create(BalancingAlgorithms.Cookie);
        var (context, response) = StartableResponseFeature.Request($"{Cookie}={value}");

        var pod = harness.Pick(policy, context);
        await response.StartAsync();

        var issued = Assert.Single(context.Response.Headers.SetCookie)!;
        Assert.DoesNotContain(value, issued, StringComparison.Ordinal);
        var (again, _) = StartableResponseFeature.Request(CookieHeader(issued));
        Assert.Same(pod, harness.Pick(policy, again));
    }

    [Fact]
    public async Task The_cookie_is_added_to_the_pods_own_set_cookie_headers()
    {
        var harness = new BalancerHarness();
        harness.Publish(Pods);
        var (context, response) = StartableResponseFeature.Request(https: true);

        harness.Pick(harness.Create(BalancingAlgorithms.Cookie), context);
        context.Response.Headers.SetCookie = "upstream=1; path=/";
        await response.StartAsync();

        Assert.Equal("upstream=1; path=/", context.Response.Headers.SetCookie[0]);
        Assert.StartsWith($"{Cookie}=", context.Response.Headers.SetCookie[1], StringComparison.Ordinal);
        Assert.Contains("secure", context.Response.Headers.SetCookie[1], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Retries_leave_one_cookie_naming_the_pod_that_answered()
    {
        var harness = new BalancerHarness();
        var list = harness.Publish(Pods);
        var policy = harness.Create(BalancingAlgorithms.Cookie);
        var (pinned, setCookie) = await Issue(harness, policy);
        var (context, response) = StartableResponseFeature.Request(CookieHeader(setCookie));

        // The retry step narrows the cluster's list to the pods not yet tried, twice.
        var tried = new List<Destination> { pinned };
        var picked = pinned;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            picked = harness.Pick(policy, context, [.. list.Where(d => !tried.Contains(d))]);
            Assert.DoesNotContain(picked.Id, tried.Select(d => d.Id));
            tried.Add(picked);
        }

        await response.StartAsync();
        var (again, _) = StartableResponseFeature.Request(CookieHeader(Assert.Single(context.Response.Headers.SetCookie)!));
        Assert.Same(picked, harness.Pick(policy, again));
    }

    [Fact]
    public async Task A_configured_key_gives_other_cookies_and_rejects_the_built_in_ones()
    {
        var harness = new BalancerHarness();
        harness.Publish(Pods);
        var builtIn = harness.Create(BalancingAlgorithms.Cookie);
        var keyed = new CookieAffinityPicker(harness.Context, new AffinityKey(Encoding.UTF8.GetBytes("cluster secret, 16+ bytes")));
        var (pod, setCookie) = await Issue(harness, builtIn);

        var (context, response) = StartableResponseFeature.Request(CookieHeader(setCookie));
        BalancerHarness.Load(pod, 10);
        Assert.NotSame(pod, harness.Pick(keyed, context));
        await response.StartAsync();
        Assert.NotEqual(CookieHeader(setCookie), CookieHeader(Assert.Single(context.Response.Headers.SetCookie)!));
    }

    private static async Task<(Destination Pod, string SetCookie)> Issue(BalancerHarness harness, IEndpointPicker policy)
    {
        var (context, response) = StartableResponseFeature.Request();
        var pod = harness.Pick(policy, context);
        await response.StartAsync();
        return (pod, Assert.Single(context.Response.Headers.SetCookie)!);
    }

    /// <summary>What a browser sends back for a Set-Cookie: <c>name=value</c>.</summary>
    private static string CookieHeader(string setCookie) => setCookie.Split(';')[0];
}
