namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteInvalidBackendRefUnknownKind (conformance/tests/httproute-invalid-backendref-unknown-kind.go): a backendRef of a kind that is not a Service.</summary>
public sealed class HttpRouteInvalidBackendRefUnknownKindTests(HttpRouteInvalidBackendRefUnknownKindTests.Gateway gateway)
    : HttpRouteInvalidBackendRefTests(gateway, "invalid-backend-ref-unknown-kind", "InvalidKind", "/v2"), IClassFixture<HttpRouteInvalidBackendRefUnknownKindTests.Gateway>
{
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-invalid-backendref-unknown-kind.yaml");
}
