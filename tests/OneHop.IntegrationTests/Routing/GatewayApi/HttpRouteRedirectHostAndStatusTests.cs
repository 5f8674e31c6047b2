namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteRedirectHostAndStatus (conformance/tests/httproute-redirect-host-and-status.go).</summary>
public sealed class HttpRouteRedirectHostAndStatusTests(HttpRouteRedirectHostAndStatusTests.Gateway gateway) : IClassFixture<HttpRouteRedirectHostAndStatusTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_refs_resolved() => gateway.RoutesAccepted("same-namespace", "redirect-host-and-status");

    [Theory]
    [InlineData("/hostname-redirect", 302)]
    [InlineData("/host-and-status", 301)]
    public Task Requests_are_redirected_to_the_host_with_the_status(string path, int status) =>
        gateway.ExpectRedirectAsync(path, status, host: "example.org");

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-redirect-host-and-status.yaml");
}
