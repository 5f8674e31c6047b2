using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteQueryParamMatching (conformance/tests/httproute-query-param-matching.go): exact, case-sensitive query
/// parameter matches, alone and with path and header matches, and their precedence after path and headers.
/// </summary>
public sealed class HttpRouteQueryParamMatchingTests(HttpRouteQueryParamMatchingTests.Gateway gateway) : IClassFixture<HttpRouteQueryParamMatchingTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "query-param-matching");

    [Theory]
    [InlineData("/?animal=whale", InfraV1)]
    [InlineData("/?animal=dolphin", InfraV2)]
    [InlineData("/?animal=dolphin&color=blue", InfraV3)]
    [InlineData("/?ANIMAL=Whale", InfraV3)]
    [InlineData("/?animal=whale&otherparam=irrelevant", InfraV1)]
    [InlineData("/?animal=dolphin&color=yellow", InfraV2)]
    [InlineData("/?color=blue", "404")]
    [InlineData("/?animal=dog", "404")]
    [InlineData("/?animal=whaledolphin", "404")]
    [InlineData("/", "404")]
    [InlineData("/path1?animal=whale", InfraV1)]
    [InlineData("/?animal=whale", InfraV2, "version: one")]
    [InlineData("/path2?animal=whale", InfraV3, "version: two")]
    [InlineData("/path3?animal=shark", InfraV1)]
    [InlineData("/path4?animal=kraken", InfraV1, "version: three")]
    [InlineData("/?animal=shark", "404")]
    [InlineData("/path4?animal=kraken", "404")]
    [InlineData("/path5?animal=hydra", InfraV1)]
    [InlineData("/?animal=hydra", InfraV3, "version: four")]
    public Task Requests_reach_the_backend_of_the_parameters_they_carry(string path, string expected, params string[] headers) =>
        gateway.ExpectAsync(new ConformanceRequest(path, Headers: headers), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-query-param-matching.yaml");
}
