namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRoute308Redirect (conformance/tests/httproute-308-redirect.go).</summary>
public sealed class HttpRoute308RedirectTests(HttpRoute308RedirectTests.Gateway gateway)
    : HttpRouteRedirectStatusCodeTests(gateway, "308-redirect", "/permanent", 308, "GET"), IClassFixture<HttpRoute308RedirectTests.Gateway>
{
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-308-redirect.yaml");
}
