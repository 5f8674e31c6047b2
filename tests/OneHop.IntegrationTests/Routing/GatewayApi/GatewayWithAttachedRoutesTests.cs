namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayWithAttachedRoutes (conformance/tests/gateway-with-attached-routes.go): listeners count the routes attached to
/// them, and only those accepted.
/// </summary>
public sealed class GatewayWithAttachedRoutesTests(GatewayWithAttachedRoutesTests.Gateway gateway) : IClassFixture<GatewayWithAttachedRoutesTests.Gateway>
{
    [Fact]
    public void A_listener_counts_its_one_route() =>
        gateway.ListenerHas("gateway-with-one-attached-route", "http", 1, ConformanceAssert.HttpRoutes, "Accepted=True", "ResolvedRefs=True");

    [Fact]
    public void A_listener_counts_its_two_routes_and_not_the_one_of_another_hostname()
    {
        gateway.ListenerHas("gateway-with-two-attached-routes", "http", 2, ConformanceAssert.HttpRoutes, "Accepted=True", "ResolvedRefs=True");
        gateway.RouteHas("http-route-not-accepted", "gateway-with-two-attached-routes", "Accepted", false, "NoMatchingListenerHostname");
    }

    [Fact]
    public void A_listener_with_unresolved_refs_still_counts_its_route()
    {
        gateway.ListenerHas("unresolved-gateway-with-one-attached-unresolved-route", "tls", 1, ConformanceAssert.HttpRoutes, "Programmed=False", "ResolvedRefs=False");
        gateway.RouteHas("http-route-4", "unresolved-gateway-with-one-attached-unresolved-route", "ResolvedRefs", false);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "gateway-with-attached-routes.yaml");
}
