namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteDisallowedKind (conformance/tests/httproute-disallowed-kind.go): an HTTPRoute whose Gateway has only a
/// listener for TLSRoutes attaches nowhere (NotAllowedByListeners, its references resolved), and the listener counts no route.
/// </summary>
public sealed class HttpRouteDisallowedKindTests(HttpRouteDisallowedKindTests.Gateway gateway) : IClassFixture<HttpRouteDisallowedKindTests.Gateway>
{
    private const string Route = "disallowed-kind";
    private const string TlsRoutesOnly = "tlsroutes-only";

    [Fact]
    public void The_route_has_its_references_resolved() => gateway.RouteHas(Route, TlsRoutesOnly, "ResolvedRefs", true);

    [Fact]
    public void The_route_is_not_accepted_with_NotAllowedByListeners() =>
        gateway.RouteHas(Route, TlsRoutesOnly, "Accepted", false, "NotAllowedByListeners");

    [Fact]
    public void The_route_has_no_accepted_parent()
    {
        var report = Assert.Single(gateway.Status().Routes, r => r.Ref.Name == Route);
        Assert.DoesNotContain(report.Parents, p => p.Conditions.Any(c => c is { Type: "Accepted", Status: true }));
    }

    [Fact]
    public void The_gateway_has_no_routes_attached() =>
        gateway.ListenerHas(TlsRoutesOnly, "tls", 0, ["TLSRoute"], "Accepted=True");

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-disallowed-kind.yaml");
}
