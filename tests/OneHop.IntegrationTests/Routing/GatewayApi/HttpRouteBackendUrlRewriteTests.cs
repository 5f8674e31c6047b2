using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteBackendURLRewrite (conformance/tests/httproute-backend-url-rewrite.go): a URLRewrite on a backendRef,
/// ReplaceFullPath and ReplacePrefixMatch, gives that backend's pod the rewritten path.
/// </summary>
public sealed class HttpRouteBackendUrlRewriteTests(HttpRouteBackendUrlRewriteTests.Gateway gateway) : IClassFixture<HttpRouteBackendUrlRewriteTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "backend-url-rewrite");

    [Theory]
    [InlineData("/full/original", "/rewritten-full")]
    [InlineData("/prefix/original", "/rewritten-prefix/original")]
    public async Task The_pod_gets_the_path_its_backend_ref_rewrites(string path, string rewritten)
    {
        var request = new ConformanceRequest(path);
        ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, InfraV1, path: rewritten);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-backend-url-rewrite.yaml");
}
