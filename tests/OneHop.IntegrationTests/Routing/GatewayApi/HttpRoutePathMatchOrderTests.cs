using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRoutePathMatchOrder (conformance/tests/httproute-path-match-order.go): Exact before prefixes, longer prefixes first.</summary>
public sealed class HttpRoutePathMatchOrderTests(HttpRoutePathMatchOrderTests.Gateway gateway) : IClassFixture<HttpRoutePathMatchOrderTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "path-matching-order");

    [Theory]
    [InlineData("/match/exact/one", InfraV3)]
    [InlineData("/match/exact", InfraV2)]
    [InlineData("/match", InfraV1)]
    [InlineData("/match/prefix/one/any", InfraV2)]
    [InlineData("/match/prefix/any", InfraV1)]
    [InlineData("/match/any", InfraV3)]
    public Task The_most_specific_path_match_wins(string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-path-match-order.yaml");
}
