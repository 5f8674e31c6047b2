using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayModifyListeners (conformance/tests/gateway-modify-listeners.go), through the API test server: a listener
/// added to a Gateway is reported with its route and serves it; a listener removed leaves the status, the other keeps
/// serving. The route's pods are not listed in the API server (loopback), so a served route answers 503, an unserved
/// request 404.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class GatewayModifyListenersTests
{
    private const string Manifest = "gateway-modify-listeners.yaml";

    [Fact]
    public async Task An_added_listener_is_reported_with_its_route_and_serves_it()
    {
        const string name = "gateway-add-listener";
        await using var cluster = await ConformanceCluster.StartAsync(Manifest, TestTimeouts.Token());
        await cluster.GatewayStatusAsync(name, "listener https with its route", s => ConformanceCluster.ListenersReady(s, 1, "https"));
        var original = cluster.Gateway(name).Metadata.Generation;

        // The other Gateway's listener on port 80 would serve the same backend for any host: without it, none does yet.
        cluster.Api.Delete<Gateway>("gateway-remove-listener", Infra);
        var request = new ConformanceRequest("/", "data.test.com");
        await cluster.ExpectStatusAsync(request, 404);

        var updated = cluster.Change(name, g => g.Spec.Listeners!.Add(new GatewayListener
        {
            Name = "http",
            Port = 80,
            Protocol = "HTTP",
            Hostname = "data.test.com",
            AllowedRoutes = new AllowedRoutes { Namespaces = new RouteNamespaces { From = "All" } },
        }));

        Assert.NotEqual(original, updated);
        await cluster.GatewayStatusAsync(name, "listeners https and http, one route each", s => ConformanceCluster.ListenersReady(s, 1, "https", "http"));
        await cluster.ExpectStatusAsync(request, 503);

        // The HTTPS listener still serves the route (503: no pod listed), with its Secret's certificate.
        using var client = cluster.Ca.Client(443, address: System.Net.IPAddress.Parse(cluster.Address));
        await OneHopInstance.EventuallyAsync(
            async () =>
            {
                try
                {
                    using var response = await client.Http.GetAsync(client.Url("secure.test.com"), TestTimeouts.Token());
                    return response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10),
            "https://secure.test.com/ to be served",
            TestTimeouts.Token());
        Assert.Equal("CN=example.org", client.LastServerCertificate!.Subject);
    }

    [Fact]
    public async Task A_removed_listener_leaves_the_status_and_the_other_keeps_serving()
    {
        const string name = "gateway-remove-listener";
        await using var cluster = await ConformanceCluster.StartAsync(Manifest, TestTimeouts.Token());
        await cluster.GatewayStatusAsync(name, "listeners https and http with the route", s => ConformanceCluster.ListenersReady(s, 1, "https", "http"));
        var original = cluster.Gateway(name).Metadata.Generation;
        Assert.Equal(2, cluster.Gateway(name).Spec.Listeners!.Count);

        var updated = cluster.Change(name, g => g.Spec.Listeners = [.. g.Spec.Listeners!.Where(l => l.Name == "http")]);

        Assert.NotEqual(original, updated);
        await cluster.GatewayStatusAsync(name, "listener http alone with the route", s => ConformanceCluster.ListenersReady(s, 1, "http"));
        await cluster.ExpectStatusAsync(new ConformanceRequest("/"), 503);
    }
}
