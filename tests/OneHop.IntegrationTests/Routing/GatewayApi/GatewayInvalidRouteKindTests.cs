namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayInvalidRouteKind (conformance/tests/gateway-invalid-route-kind.go): a listener's allowedRoutes.kinds that
/// OneHop does not serve give ResolvedRefs=False (InvalidRouteKinds), and only the valid kinds are supported.
/// </summary>
public sealed class GatewayInvalidRouteKindTests(GatewayInvalidRouteKindTests.Gateway gateway) : IClassFixture<GatewayInvalidRouteKindTests.Gateway>
{
    [Fact]
    public void A_listener_with_only_an_invalid_kind_supports_none() =>
        gateway.ListenerHas("gateway-only-invalid-route-kind", "http", 0, [], "ResolvedRefs=False:InvalidRouteKinds");

    [Fact]
    public void A_listener_with_an_invalid_kind_beside_HTTPRoute_supports_HTTPRoute() =>
        gateway.ListenerHas("gateway-supported-and-invalid-route-kind", "http", 0, ConformanceAssert.HttpRoutes, "ResolvedRefs=False:InvalidRouteKinds");

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "gateway-invalid-route-kind.yaml");
}
