namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteRedirectPort (conformance/tests/httproute-redirect-port.go).</summary>
public sealed class HttpRouteRedirectPortTests(HttpRouteRedirectPortTests.Gateway gateway) : IClassFixture<HttpRouteRedirectPortTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_refs_resolved() => gateway.RoutesAccepted("same-namespace", "redirect-port");

    [Theory]
    [InlineData("/port", 302, null)]
    [InlineData("/port-and-host", 302, "example.org")]
    [InlineData("/port-and-status", 301, null)]
    [InlineData("/port-and-host-and-status", 302, "example.org")]
    public Task Requests_are_redirected_to_the_port(string path, int status, string? host) =>
        gateway.ExpectRedirectAsync(path, status, host: host, port: 8083);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-redirect-port.yaml");
}
