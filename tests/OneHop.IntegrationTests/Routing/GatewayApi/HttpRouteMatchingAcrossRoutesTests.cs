using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteMatchingAcrossRoutes (conformance/tests/httproute-matching-across-routes.go): two routes' matches on shared hostnames.</summary>
public sealed class HttpRouteMatchingAcrossRoutesTests(HttpRouteMatchingAcrossRoutesTests.Gateway gateway) : IClassFixture<HttpRouteMatchingAcrossRoutesTests.Gateway>
{
    [Fact]
    public void Both_routes_are_accepted_with_their_backends_resolved() => gateway.RoutesAccepted("same-namespace", "matching-part1", "matching-part2");

    [Theory]
    [InlineData("example.com", "/", InfraV1)]
    [InlineData("example.com", "/example", InfraV1)]
    [InlineData("example.net", "/example", InfraV1)]
    [InlineData("example.com", "/example", InfraV1, "Version: one")]
    [InlineData("example.com", "/v2", InfraV2)]
    [InlineData("example.net", "/v2", InfraV1)]
    [InlineData("example.com", "/v2/example", InfraV2)]
    [InlineData("example.com", "/", InfraV2, "Version: two")]
    public Task Requests_reach_the_backend_of_the_route_they_match(string host, string path, string expected, params string[] headers) =>
        gateway.ExpectAsync(new ConformanceRequest(path, host, Headers: headers), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-matching-across-routes.yaml");
}
