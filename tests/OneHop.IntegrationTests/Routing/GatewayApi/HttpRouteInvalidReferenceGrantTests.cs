namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteInvalidReferenceGrant (conformance/tests/httproute-invalid-reference-grant.go): ReferenceGrants each wrong
/// in one field (their namespace, from group, kind or namespace, to group, kind or name) do not let the route use the
/// Service of another namespace: the route is accepted with ResolvedRefs=False (RefNotPermitted) and its requests are
/// answered 500, never by the Service's pods.
/// </summary>
public sealed class HttpRouteInvalidReferenceGrantTests(HttpRouteInvalidReferenceGrantTests.Gateway gateway) : IClassFixture<HttpRouteInvalidReferenceGrantTests.Gateway>
{
    private const string Route = "reference-grant";

    [Fact]
    public void The_gateway_and_route_are_accepted()
    {
        gateway.GatewayHas("same-namespace", "Accepted=True", "Programmed=True");
        gateway.RouteHas(Route, "same-namespace", "Accepted", true);
    }

    [Fact]
    public void The_route_has_ResolvedRefs_false_with_RefNotPermitted() =>
        gateway.RouteHas(Route, "same-namespace", "ResolvedRefs", false, "RefNotPermitted");

    [Fact]
    public Task A_request_does_not_reach_web_backend() => gateway.ExpectAsync(new ConformanceRequest("/"), "500");

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-invalid-reference-grant.yaml");
}
