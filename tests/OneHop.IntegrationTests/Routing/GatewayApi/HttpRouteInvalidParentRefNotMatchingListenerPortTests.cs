namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteInvalidParentRefNotMatchingListenerPort
/// (conformance/tests/httproute-invalid-parentref-not-matching-listener-port.go): a parentRef to a port the Gateway
/// has no listener on.
/// </summary>
public sealed class HttpRouteInvalidParentRefNotMatchingListenerPortTests(HttpRouteInvalidParentRefNotMatchingListenerPortTests.Gateway gateway)
    : IClassFixture<HttpRouteInvalidParentRefNotMatchingListenerPortTests.Gateway>
{
    private const string Route = "httproute-listener-not-matching-route-port";

    [Fact]
    public void The_route_is_not_accepted_for_want_of_a_matching_parent()
    {
        gateway.RouteHas(Route, "same-namespace", "ResolvedRefs", true);
        gateway.RouteHas(Route, "same-namespace", "Accepted", false, "NoMatchingParent");
        gateway.ListenerHas("same-namespace", "http", 0, ConformanceAssert.HttpRoutes);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-invalid-parentref-not-matching-listener-port.yaml");
}
