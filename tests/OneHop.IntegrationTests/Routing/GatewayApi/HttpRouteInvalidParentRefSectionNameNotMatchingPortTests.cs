namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteInvalidParentRefSectionNameNotMatchingPort
/// (conformance/tests/httproute-invalid-parentref-section-name-not-matching-port.go): a parentRef whose sectionName and
/// port name no one listener.
/// </summary>
public sealed class HttpRouteInvalidParentRefSectionNameNotMatchingPortTests(HttpRouteInvalidParentRefSectionNameNotMatchingPortTests.Gateway gateway)
    : IClassFixture<HttpRouteInvalidParentRefSectionNameNotMatchingPortTests.Gateway>
{
    private const string Name = "gateway-with-one-not-matching-port-and-section-name-route";

    [Fact]
    public void The_route_is_not_accepted_for_want_of_a_matching_parent()
    {
        gateway.RouteHas("httproute-listener-section-name-not-matching-port", Name, "Accepted", false, "NoMatchingParent");
        gateway.ListenerHas(Name, "http", 0, ConformanceAssert.HttpRoutes);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-invalid-parentref-section-name-not-matching-port.yaml");
}
