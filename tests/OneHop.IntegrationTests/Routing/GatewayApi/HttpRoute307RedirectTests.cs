namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRoute307Redirect (conformance/tests/httproute-307-redirect.go).</summary>
public sealed class HttpRoute307RedirectTests(HttpRoute307RedirectTests.Gateway gateway)
    : HttpRouteRedirectStatusCodeTests(gateway, "307-redirect", "/temporary", 307, "GET"), IClassFixture<HttpRoute307RedirectTests.Gateway>
{
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-307-redirect.yaml");
}
