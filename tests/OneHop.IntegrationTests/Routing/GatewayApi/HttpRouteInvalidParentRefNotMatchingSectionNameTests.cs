namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteInvalidParentRefNotMatchingSectionName
/// (conformance/tests/httproute-invalid-parentref-not-matching-section-name.go): a parentRef to a listener name the
/// Gateway does not have.
/// </summary>
public sealed class HttpRouteInvalidParentRefNotMatchingSectionNameTests(HttpRouteInvalidParentRefNotMatchingSectionNameTests.Gateway gateway)
    : IClassFixture<HttpRouteInvalidParentRefNotMatchingSectionNameTests.Gateway>
{
    [Fact]
    public void The_route_is_not_accepted_for_want_of_a_matching_parent()
    {
        gateway.RouteHas("httproute-listener-not-matching-section-name", "same-namespace", "Accepted", false, "NoMatchingParent");
        gateway.ListenerHas("same-namespace", "http", 0, ConformanceAssert.HttpRoutes);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-invalid-parentref-not-matching-section-name.yaml");
}
