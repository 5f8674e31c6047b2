using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// ListenerSetHTTPRouting (conformance/tests/listenerset-http-routing.go): a Gateway takes the listeners of two
/// ListenerSets; a route attaches to the Gateway's listeners, a ListenerSet's or one listener of either, and is served
/// only on the hosts of the listeners it attached to.
/// </summary>
public sealed class ListenerSetHttpRoutingTests(ListenerSetHttpRoutingTests.Gateway gateway) : IClassFixture<ListenerSetHttpRoutingTests.Gateway>
{
    private const string GatewayName = "gateway-with-listener-sets-http-routing";

    [Fact]
    public void The_gateway_accepts_its_routes_and_counts_both_listener_sets()
    {
        gateway.RoutesAccepted(GatewayName, "attaches-to-all-listeners", "gateway-route", "gateway-section-route");
        Assert.Equal(2, gateway.AttachedListenerSets(GatewayName));
    }

    [Fact]
    public void The_first_listener_set_accepts_its_routes_and_counts_them_per_listener()
    {
        gateway.RoutesAcceptedByListenerSet("listener-set-http-routing-1", "attaches-to-all-listeners", "listener-set-http-routing-1-route", "listener-set-http-routing-1-section-route");
        gateway.ListenerSetListenerAccepted("listener-set-http-routing-1", "listener-set-http-routing-1-listener-1", 3);
        gateway.ListenerSetListenerAccepted("listener-set-http-routing-1", "listener-set-http-routing-1-listener-2", 2);
    }

    [Fact]
    public void The_second_listener_set_accepts_its_routes_and_counts_them_per_listener()
    {
        gateway.RoutesAcceptedByListenerSet("listener-set-http-routing-2", "attaches-to-all-listeners", "listener-set-http-routing-2-route");
        gateway.ListenerSetListenerAccepted("listener-set-http-routing-2", "listener-set-http-routing-2-listener-1", 2);
        gateway.ListenerSetListenerAccepted("listener-set-http-routing-2", "listener-set-http-routing-2-listener-2", 2);
    }

    [Theory]
    [InlineData("gateway-listener-1.com", "/route", InfraV1)]
    [InlineData("gateway-listener-2.com", "/route", InfraV1)]
    [InlineData("listener-set-http-routing-1-listener-1.com", "/route", InfraV1)]
    [InlineData("listener-set-http-routing-1-listener-2.com", "/route", InfraV1)]
    [InlineData("listener-set-http-routing-2-listener-1.com", "/route", InfraV1)]
    [InlineData("listener-set-http-routing-2-listener-2.com", "/route", InfraV1)]
    [InlineData("gateway-listener-1.com", "/gateway-route", InfraV2)]
    [InlineData("gateway-listener-2.com", "/gateway-route", InfraV2)]
    [InlineData("listener-set-http-routing-1-listener-1.com", "/gateway-route", "404")]
    [InlineData("listener-set-http-routing-1-listener-2.com", "/gateway-route", "404")]
    [InlineData("listener-set-http-routing-2-listener-1.com", "/gateway-route", "404")]
    [InlineData("listener-set-http-routing-2-listener-2.com", "/gateway-route", "404")]
    [InlineData("gateway-listener-1.com", "/gateway-section-route", InfraV3)]
    [InlineData("gateway-listener-2.com", "/gateway-section-route", "404")]
    [InlineData("listener-set-http-routing-1-listener-1.com", "/gateway-section-route", "404")]
    [InlineData("listener-set-http-routing-1-listener-2.com", "/gateway-section-route", "404")]
    [InlineData("listener-set-http-routing-2-listener-1.com", "/gateway-section-route", "404")]
    [InlineData("listener-set-http-routing-2-listener-2.com", "/gateway-section-route", "404")]
    [InlineData("gateway-listener-1.com", "/listener-set-http-routing-1-route", "404")]
    [InlineData("gateway-listener-2.com", "/listener-set-http-routing-1-route", "404")]
    [InlineData("listener-set-http-routing-1-listener-1.com", "/listener-set-http-routing-1-route", InfraV2)]
    [InlineData("listener-set-http-routing-1-listener-2.com", "/listener-set-http-routing-1-route", InfraV2)]
    [InlineData("listener-set-http-routing-2-listener-1.com", "/listener-set-http-routing-1-route", "404")]
    [InlineData("listener-set-http-routing-2-listener-2.com", "/listener-set-http-routing-1-route", "404")]
    [InlineData("gateway-listener-1.com", "/listener-set-http-routing-1-section-route", "404")]
    [InlineData("gateway-listener-2.com", "/listener-set-http-routing-1-section-route", "404")]
    [InlineData("listener-set-http-routing-1-listener-1.com", "/listener-set-http-routing-1-section-route", InfraV3)]
    [InlineData("listener-set-http-routing-1-listener-2.com", "/listener-set-http-routing-1-section-route", "404")]
    [InlineData("listener-set-http-routing-2-listener-1.com", "/listener-set-http-routing-1-section-route", "404")]
    [InlineData("listener-set-http-routing-2-listener-2.com", "/listener-set-http-routing-1-section-route", "404")]
    [InlineData("gateway-listener-1.com", "/listener-set-http-routing-2-route", "404")]
    [InlineData("gateway-listener-2.com", "/listener-set-http-routing-2-route", "404")]
    [InlineData("listener-set-http-routing-1-listener-1.com", "/listener-set-http-routing-2-route", "404")]
    [InlineData("listener-set-http-routing-1-listener-2.com", "/listener-set-http-routing-2-route", "404")]
    [InlineData("listener-set-http-routing-2-listener-1.com", "/listener-set-http-routing-2-route", InfraV2)]
    [InlineData("listener-set-http-routing-2-listener-2.com", "/listener-set-http-routing-2-route", InfraV2)]
    public Task A_route_serves_only_the_hosts_of_the_listeners_it_attached_to(string host, string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path, host), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "listenerset-http-routing.yaml");
}
