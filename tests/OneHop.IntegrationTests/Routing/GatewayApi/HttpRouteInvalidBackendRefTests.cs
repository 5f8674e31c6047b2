namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteInvalidCrossNamespaceBackendRef, HTTPRouteInvalidNonExistentBackendRef and
/// HTTPRouteInvalidBackendRefUnknownKind (conformance/tests/httproute-invalid-*.go): a route accepted with a backend that
/// does not resolve reports ResolvedRefs false with the spec's reason, and its requests are answered 500.
/// </summary>
public abstract class HttpRouteInvalidBackendRefTests(ConformanceGateway gateway, string route, string reason, string path)
{
    [Fact]
    public void The_route_is_accepted() => gateway.RouteHas(route, "same-namespace", "Accepted", true);

    [Fact]
    public void The_route_has_ResolvedRefs_false_with_the_reason() => gateway.RouteHas(route, "same-namespace", "ResolvedRefs", false, reason);

    [Fact]
    public Task Its_requests_are_answered_500() => gateway.ExpectAsync(new ConformanceRequest(path), "500");
}
