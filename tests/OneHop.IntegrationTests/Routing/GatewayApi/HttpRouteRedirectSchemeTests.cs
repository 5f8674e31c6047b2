namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteRedirectScheme (conformance/tests/httproute-redirect-scheme.go): the port follows the new scheme.</summary>
public sealed class HttpRouteRedirectSchemeTests(HttpRouteRedirectSchemeTests.Gateway gateway) : IClassFixture<HttpRouteRedirectSchemeTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_refs_resolved() => gateway.RoutesAccepted("same-namespace", "redirect-scheme");

    [Theory]
    [InlineData("/scheme", 302, null)]
    [InlineData("/scheme-and-host", 302, "example.org")]
    [InlineData("/scheme-and-status", 301, null)]
    [InlineData("/scheme-and-host-and-status", 302, "example.org")]
    public Task Requests_are_redirected_to_https(string path, int status, string? host) =>
        gateway.ExpectRedirectAsync(path, status, scheme: "https", host: host);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-redirect-scheme.yaml");
}
