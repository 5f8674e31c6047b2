namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRoutePartiallyInvalidViaInvalidReferenceGrant
/// (conformance/tests/httproute-partially-invalid-via-invalid-reference-grant.go): a ReferenceGrant that names another
/// Service of its namespace leaves one rule's backend unresolved (500) and its sibling rule working.
/// </summary>
public sealed class HttpRoutePartiallyInvalidViaInvalidReferenceGrantTests(HttpRoutePartiallyInvalidViaInvalidReferenceGrantTests.Gateway gateway)
    : IClassFixture<HttpRoutePartiallyInvalidViaInvalidReferenceGrantTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted() => gateway.RouteHas("invalid-reference-grant", "same-namespace", "Accepted", true);

    [Fact]
    public void The_route_has_ResolvedRefs_false_with_RefNotPermitted() =>
        gateway.RouteHas("invalid-reference-grant", "same-namespace", "ResolvedRefs", false, "RefNotPermitted");

    [Fact]
    public Task A_request_to_the_backend_without_a_grant_is_answered_500() =>
        gateway.ExpectAsync(new ConformanceRequest("/v2"), "500");

    [Fact]
    public Task A_request_to_the_granted_sibling_backend_succeeds() =>
        gateway.ExpectAsync(new ConformanceRequest("/"), "app-backend-v1");

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-partially-invalid-via-invalid-reference-grant.yaml");
}
