using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteListenerHostnameMatching (conformance/tests/httproute-listener-hostname-matching.go): listeners of one port
/// with different hostnames, each with its own route; the most specific listener hostname wins.
/// </summary>
public sealed class HttpRouteListenerHostnameMatchingTests(HttpRouteListenerHostnameMatchingTests.Gateway gateway) : IClassFixture<HttpRouteListenerHostnameMatchingTests.Gateway>
{
    [Fact]
    public void Each_route_is_accepted_by_its_listeners() =>
        gateway.RoutesAccepted("httproute-listener-hostname-matching", "backend-v1", "backend-v2", "backend-v3");

    [Theory]
    [InlineData("bar.com", InfraV1)]
    [InlineData("foo.bar.com", InfraV2)]
    [InlineData("baz.bar.com", InfraV3)]
    [InlineData("boo.bar.com", InfraV3)]
    [InlineData("multiple.prefixes.bar.com", InfraV3)]
    [InlineData("multiple.prefixes.foo.com", InfraV3)]
    [InlineData("foo.com", "404")]
    [InlineData("no.matching.host", "404")]
    public Task Requests_reach_the_route_of_the_most_specific_listener_hostname(string host, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest("/", host), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-listener-hostname-matching.yaml");
}
