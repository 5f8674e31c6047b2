using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteRewriteHost (conformance/tests/httproute-rewrite-host.go): the pod gets the rewritten Host, alone or with header edits.</summary>
public sealed class HttpRouteRewriteHostTests(HttpRouteRewriteHostTests.Gateway gateway) : IClassFixture<HttpRouteRewriteHostTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "rewrite-host");

    [Theory]
    [InlineData("/one", InfraV1, "one.example.org")]
    [InlineData("/two", InfraV2, "example.org")]
    public async Task The_pod_gets_the_rewritten_host(string path, string backend, string host)
    {
        var request = new ConformanceRequest(path, "rewrite.example");
        ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, backend, host: host);
    }

    [Fact]
    public async Task The_host_is_rewritten_and_the_headers_modified()
    {
        var request = new ConformanceRequest("/rewrite-host-and-modify-headers", "rewrite.example", Headers: ["X-Header-Remove: remove-val", "X-Header-Add-Append: append-val-1"]);
        var echo = ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, InfraV2, host: "test.example.org");
        ConformanceAssert.HeadersAre(
            echo.Header,
            $"{request}, at the pod",
            ["X-Header-Add: header-val-1", "X-Header-Add-Append: append-val-1,header-val-2", "X-Header-Set: set-overwrites-values"],
            ["X-Header-Remove"]);
    }

    [Fact]
    public async Task X_forwarded_host_keeps_the_clients_host()
    {
        // Not a conformance case: nginx and Envoy tell the pod the host the client asked for, whatever the rewrite.
        var request = new ConformanceRequest("/one", "rewrite.example");
        var echo = ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, InfraV1, host: "one.example.org");
        ConformanceAssert.HeadersAre(echo.Header, $"{request}, at the pod", ["X-Forwarded-Host: rewrite.example"], []);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-rewrite-host.yaml");
}
