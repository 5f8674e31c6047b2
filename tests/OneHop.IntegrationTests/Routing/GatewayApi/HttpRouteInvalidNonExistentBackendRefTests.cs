namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteInvalidNonExistentBackendRef (conformance/tests/httproute-invalid-nonexistent-backendref.go): a Service that does not exist.</summary>
public sealed class HttpRouteInvalidNonExistentBackendRefTests(HttpRouteInvalidNonExistentBackendRefTests.Gateway gateway)
    : HttpRouteInvalidBackendRefTests(gateway, "invalid-nonexistent-backend-ref", "BackendNotFound", "/"), IClassFixture<HttpRouteInvalidNonExistentBackendRefTests.Gateway>
{
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-invalid-nonexistent-backendref.yaml");
}
