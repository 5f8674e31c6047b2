namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteRedirectPath (conformance/tests/httproute-redirect-path.go): ReplacePrefixMatch and ReplaceFullPath redirects.</summary>
public sealed class HttpRouteRedirectPathTests(HttpRouteRedirectPathTests.Gateway gateway) : IClassFixture<HttpRouteRedirectPathTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_refs_resolved() => gateway.RoutesAccepted("same-namespace", "redirect-path");

    [Theory]
    [InlineData("/original-prefix/lemon", 302, null, "/replacement-prefix/lemon")]
    [InlineData("/full/path/original", 302, null, "/full-path-replacement")]
    [InlineData("/path-and-host", 302, "example.org", "/replacement-prefix")]
    [InlineData("/path-and-status", 301, null, "/replacement-prefix")]
    [InlineData("/full-path-and-host", 302, "example.org", "/replacement-full")]
    [InlineData("/full-path-and-status", 301, null, "/replacement-full")]
    public Task Requests_are_redirected_to_the_modified_path(string path, int status, string? host, string location) =>
        gateway.ExpectRedirectAsync(path, status, host: host, location: location);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-redirect-path.yaml");
}
