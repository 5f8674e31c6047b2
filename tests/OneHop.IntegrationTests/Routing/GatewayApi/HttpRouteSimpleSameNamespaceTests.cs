using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteSimpleSameNamespace (conformance/tests/httproute-simple-same-namespace.go).</summary>
public sealed class HttpRouteSimpleSameNamespaceTests(HttpRouteSimpleSameNamespaceTests.Gateway gateway) : IClassFixture<HttpRouteSimpleSameNamespaceTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backend_resolved() => gateway.RoutesAccepted("same-namespace", "gateway-conformance-infra-test");

    [Fact]
    public Task A_request_reaches_the_infra_backend() => gateway.ExpectAsync(new ConformanceRequest("/"), InfraV1);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-simple-same-namespace.yaml");
}
