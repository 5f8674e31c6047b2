using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteListenerPortMatching (conformance/tests/httproute-listener-port-matching.go): routes attached by parentRef
/// port (and sectionName) to listeners on 80, 8080 and 8090; a request goes to the port its Host names.
/// </summary>
public sealed class HttpRouteListenerPortMatchingTests(HttpRouteListenerPortMatchingTests.Gateway gateway) : IClassFixture<HttpRouteListenerPortMatchingTests.Gateway>
{
    [Fact]
    public void Each_route_is_accepted_by_the_listeners_of_its_port() =>
        gateway.RoutesAccepted("httproute-listener-port-matching", "backend-v1", "backend-v2", "backend-v3");

    [Theory]
    [InlineData("foo.com", 80, InfraV1)]
    [InlineData("foo.com:8080", 8080, InfraV2)]
    [InlineData("bar.com:8080", 8080, InfraV2)]
    [InlineData("foo.com:8090", 8090, InfraV3)]
    [InlineData("bar.com:8090", 8090, "404")]
    public Task Requests_reach_the_route_of_their_port(string host, int port, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest("/", host), expected, port);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-listener-port-matching.yaml", 80, 8080, 8090);
}
