namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteInvalidCrossNamespaceParentRef (conformance/tests/httproute-invalid-cross-namespace-parent-ref.go): a route
/// in the web-backend namespace on a Gateway whose listener takes routes of its own namespace only.
/// </summary>
public sealed class HttpRouteInvalidCrossNamespaceParentRefTests(HttpRouteInvalidCrossNamespaceParentRefTests.Gateway gateway)
    : IClassFixture<HttpRouteInvalidCrossNamespaceParentRefTests.Gateway>
{
    private const string Route = EchoBackends.WebBackend + "/invalid-cross-namespace-parent-ref";

    [Fact]
    public void The_route_is_not_allowed_by_the_listeners()
    {
        gateway.RouteHas(Route, "same-namespace", "ResolvedRefs", true);
        gateway.RouteHas(Route, "same-namespace", "Accepted", false, "NotAllowedByListeners");
        gateway.ListenerHas("same-namespace", "http", 0, ConformanceAssert.HttpRoutes);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-invalid-cross-namespace-parent-ref.yaml");
}
