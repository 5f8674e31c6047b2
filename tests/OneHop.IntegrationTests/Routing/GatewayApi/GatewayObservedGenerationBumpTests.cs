using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayObservedGenerationBump (conformance/tests/gateway-observed-generation-bump.go), through the API test server:
/// a listener added to the Gateway's spec bumps its generation, and the status the leader writes follows it.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class GatewayObservedGenerationBumpTests
{
    private const string Name = "gateway-observed-generation-bump";

    [Fact]
    public async Task Every_condition_takes_the_new_generation_after_a_listener_is_added()
    {
        await using var cluster = await ConformanceCluster.StartAsync("gateway-observed-generation-bump.yaml", TestTimeouts.Token());
        await cluster.GatewayStatusAsync(Name, "listener http", s => ConformanceCluster.ListenersReady(s, 0, "http"));
        var original = cluster.Gateway(Name).Metadata.Generation;

        var updated = cluster.Change(Name, g => g.Spec.Listeners!.Add(new GatewayListener
        {
            Name = "alternate",
            Hostname = "foo.com",
            Port = 80,
            Protocol = "HTTP",
            AllowedRoutes = new AllowedRoutes { Namespaces = new RouteNamespaces { From = "All" } },
        }));

        Assert.NotEqual(original, updated);
        await cluster.GatewayStatusAsync(Name, "listeners http and alternate", s => ConformanceCluster.ListenersReady(s, 0, "http", "alternate"));
        Assert.Equal(updated, cluster.Gateway(Name).Metadata.Generation);
    }
}
