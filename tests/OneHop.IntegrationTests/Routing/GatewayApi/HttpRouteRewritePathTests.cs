using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteRewritePath (conformance/tests/httproute-rewrite-path.go): ReplacePrefixMatch and ReplaceFullPath rewrites, alone or with header edits.</summary>
public sealed class HttpRouteRewritePathTests(HttpRouteRewritePathTests.Gateway gateway) : IClassFixture<HttpRouteRewritePathTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "rewrite-path");

    [Theory]
    [InlineData("/prefix/one/two", "/one/two")]
    [InlineData("/strip-prefix/three", "/three")]
    [InlineData("/strip-prefix", "/")]
    [InlineData("/full/one/two", "/one")]
    public async Task The_pod_gets_the_rewritten_path(string path, string rewritten)
    {
        var request = new ConformanceRequest(path);
        ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, InfraV1, path: rewritten);
    }

    [Theory]
    [InlineData("/full/rewrite-path-and-modify-headers/test", "/test")]
    [InlineData("/prefix/rewrite-path-and-modify-headers/one", "/prefix/one")]
    public async Task The_path_is_rewritten_and_the_headers_modified(string path, string rewritten)
    {
        var request = new ConformanceRequest(path, Headers: ["X-Header-Remove: remove-val", "X-Header-Add-Append: append-val-1", "X-Header-Set: set-val"]);
        var echo = ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, InfraV1, path: rewritten);
        ConformanceAssert.HeadersAre(
            echo.Header,
            $"{request}, at the pod",
            ["X-Header-Add: header-val-1", "X-Header-Add-Append: append-val-1,header-val-2", "X-Header-Set: set-overwrites-values"],
            ["X-Header-Remove"]);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-rewrite-path.yaml");
}
