using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteExactPathMatching (conformance/tests/httproute-exact-path-matching.go).</summary>
public sealed class HttpRouteExactPathMatchingTests(HttpRouteExactPathMatchingTests.Gateway gateway) : IClassFixture<HttpRouteExactPathMatchingTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "exact-matching");

    [Theory]
    [InlineData("/one", InfraV1)]
    [InlineData("/two", InfraV2)]
    [InlineData("/", "404")]
    [InlineData("/one/example", "404")]
    [InlineData("/two/", "404")]
    [InlineData("/Two", "404")]
    public Task Only_the_exact_paths_match(string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-exact-path-matching.yaml");
}
