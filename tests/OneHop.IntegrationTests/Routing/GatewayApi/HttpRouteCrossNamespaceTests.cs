namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteCrossNamespace (conformance/tests/httproute-cross-namespace.go): a route in the web-backend namespace on the
/// Gateway backend-namespaces, whose listener allows routes from namespaces labelled gateway-conformance=backend.
/// </summary>
public sealed class HttpRouteCrossNamespaceTests(HttpRouteCrossNamespaceTests.Gateway gateway) : IClassFixture<HttpRouteCrossNamespaceTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backend_resolved() =>
        gateway.RoutesAccepted("backend-namespaces", $"{EchoBackends.WebBackend}/cross-namespace");

    [Fact]
    public Task A_request_reaches_the_web_backend() => gateway.ExpectAsync(new ConformanceRequest("/"), "web-backend");

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-cross-namespace.yaml");
}
