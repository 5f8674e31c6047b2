namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteBackendRequestRedirect (conformance/tests/httproute-backend-request-redirect.go): a RequestRedirect on a
/// backendRef, ReplaceFullPath and ReplacePrefixMatch, is answered 302 with the modified path for the requests that
/// backend takes.
/// </summary>
public sealed class HttpRouteBackendRequestRedirectTests(HttpRouteBackendRequestRedirectTests.Gateway gateway) : IClassFixture<HttpRouteBackendRequestRedirectTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_refs_resolved() => gateway.RoutesAccepted("same-namespace", "backend-request-redirect");

    [Theory]
    [InlineData("/full/original", "/redirected-full")]
    [InlineData("/prefix/original", "/redirected-prefix/original")]
    public Task Requests_are_redirected_to_the_path_the_backend_ref_modifies(string path, string location) =>
        gateway.ExpectRedirectAsync(path, 302, location: location);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-backend-request-redirect.yaml");
}
