using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteNoBackendRefs (conformance/tests/httproute-omitted-backendrefs.go): a rule without backendRefs answers 500.</summary>
public sealed class HttpRouteNoBackendRefsTests(HttpRouteNoBackendRefsTests.Gateway gateway) : IClassFixture<HttpRouteNoBackendRefsTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_refs_resolved() => gateway.RoutesAccepted("same-namespace", "omitted-backendrefs");

    [Theory]
    [InlineData("/forward", InfraV1)]
    [InlineData("/omitted-no-forward", "500")]
    [InlineData("/empty-no-forward", "500")]
    public Task Rules_without_backends_answer_500(string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-omitted-backendrefs.yaml");
}
