namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRoute303Redirect (conformance/tests/httproute-303-redirect.go).</summary>
public sealed class HttpRoute303RedirectTests(HttpRoute303RedirectTests.Gateway gateway)
    : HttpRouteRedirectStatusCodeTests(gateway, "303-redirect", "/see-other", 303, "POST"), IClassFixture<HttpRoute303RedirectTests.Gateway>
{
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-303-redirect.yaml");
}
