using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteHeaderMatching (conformance/tests/httproute-header-matching.go): exact header matches, ANDed within a match
/// and ORed across matches, the match with more headers first. The suite has no RegularExpression header case at
/// 4564255ac.
/// </summary>
public sealed class HttpRouteHeaderMatchingTests(HttpRouteHeaderMatchingTests.Gateway gateway) : IClassFixture<HttpRouteHeaderMatchingTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "header-matching");

    [Theory]
    [InlineData(InfraV1, "Version: one")]
    [InlineData(InfraV2, "Version: two")]
    [InlineData(InfraV1, "Version: two", "Color: orange")]
    [InlineData(InfraV2, "Version: two", "Color: blue")]
    [InlineData("404", "Color: orange")]
    [InlineData("404", "Some-Other-Header: one")]
    [InlineData(InfraV1, "Color: blue")]
    [InlineData(InfraV1, "Color: green")]
    [InlineData(InfraV2, "Color: red")]
    [InlineData(InfraV2, "Color: yellow")]
    [InlineData("404", "Color: purple")]
    public Task Requests_reach_the_backend_of_the_headers_they_carry(string expected, params string[] headers) =>
        gateway.ExpectAsync(new ConformanceRequest("/", Headers: headers), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-header-matching.yaml");
}
