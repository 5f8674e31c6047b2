using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteMethodMatching (conformance/tests/httproute-method-matching.go): method matches, alone and with path and
/// header matches, and their precedence after the path and before headers.
/// </summary>
public sealed class HttpRouteMethodMatchingTests(HttpRouteMethodMatchingTests.Gateway gateway) : IClassFixture<HttpRouteMethodMatchingTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "method-matching");

    [Theory]
    [InlineData("POST", "/", InfraV1)]
    [InlineData("GET", "/", InfraV2)]
    [InlineData("HEAD", "/", "404")]
    [InlineData("GET", "/path1", InfraV1)]
    [InlineData("PUT", "/", InfraV2, "version: one")]
    [InlineData("POST", "/path2", InfraV3, "version: two")]
    [InlineData("PATCH", "/path3", InfraV1)]
    [InlineData("DELETE", "/path4", InfraV1, "version: three")]
    [InlineData("PUT", "/", "404")]
    [InlineData("DELETE", "/path4", "404")]
    [InlineData("PATCH", "/path5", InfraV1)]
    [InlineData("PATCH", "/", InfraV2, "version: four")]
    public Task Requests_reach_the_backend_of_their_method(string method, string path, string expected, params string[] headers) =>
        gateway.ExpectAsync(new ConformanceRequest(path, Method: method, Headers: headers), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-method-matching.yaml");
}
