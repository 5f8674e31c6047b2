namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteInvalidCrossNamespaceBackendRef (conformance/tests/httproute-invalid-cross-namespace-backend-ref.go): a Service in another namespace with no ReferenceGrant.</summary>
public sealed class HttpRouteInvalidCrossNamespaceBackendRefTests(HttpRouteInvalidCrossNamespaceBackendRefTests.Gateway gateway)
    : HttpRouteInvalidBackendRefTests(gateway, "invalid-cross-namespace-backend-ref", "RefNotPermitted", "/"), IClassFixture<HttpRouteInvalidCrossNamespaceBackendRefTests.Gateway>
{
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-invalid-cross-namespace-backend-ref.yaml");
}
