using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteMatching (conformance/tests/httproute-matching.go): path prefix and header matches of one route.</summary>
public sealed class HttpRouteMatchingTests(HttpRouteMatchingTests.Gateway gateway) : IClassFixture<HttpRouteMatchingTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "matching");

    [Theory]
    [InlineData("/", InfraV1)]
    [InlineData("/example", InfraV1)]
    [InlineData("/", InfraV1, "Version: one")]
    [InlineData("/v2", InfraV2)]
    [InlineData("/v2/example", InfraV2)]
    [InlineData("/", InfraV2, "Version: two")]
    [InlineData("/v2/", InfraV2)]
    [InlineData("/v2example", InfraV1)]
    [InlineData("/foo/v2/example", InfraV1)]
    public Task Requests_reach_the_backend_of_the_rule_they_match(string path, string expected, params string[] headers) =>
        gateway.ExpectAsync(new ConformanceRequest(path, Headers: headers), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-matching.yaml");
}
