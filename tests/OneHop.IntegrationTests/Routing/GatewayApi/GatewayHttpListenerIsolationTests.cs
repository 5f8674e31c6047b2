using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayHTTPListenerIsolation (conformance/tests/gateway-http-listener-isolation.go): a request is served only by the
/// routes of the listener its host selects (the most specific hostname that matches it), never by a less specific
/// listener's. The suite's two Gateways share port 80, so each is a class of its own here.
/// </summary>
public abstract class GatewayHttpListenerIsolationTests(ConformanceGateway gateway, string gatewayName, string routeSuffix)
{
    [Fact]
    public void The_routes_are_accepted_with_their_backends_resolved() => gateway.RoutesAccepted(
        gatewayName,
        [.. new[] { "empty-hostname", "wildcard-example-com", "wildcard-foo-example-com", "abc-foo-example-com" }.Select(l => $"attaches-to-{l}{routeSuffix}")]);

    [Theory]
    [InlineData("bar.com", "/empty-hostname", InfraV1)]
    [InlineData("bar.com", "/wildcard-example-com", "404")]
    [InlineData("bar.com", "/wildcard-foo-example-com", "404")]
    [InlineData("bar.com", "/abc-foo-example-com", "404")]
    [InlineData("bar.example.com", "/empty-hostname", "404")]
    [InlineData("bar.example.com", "/wildcard-example-com", InfraV1)]
    [InlineData("bar.example.com", "/wildcard-foo-example-com", "404")]
    [InlineData("bar.example.com", "/abc-foo-example-com", "404")]
    [InlineData("bar.foo.example.com", "/empty-hostname", "404")]
    [InlineData("bar.foo.example.com", "/wildcard-example-com", "404")]
    [InlineData("bar.foo.example.com", "/wildcard-foo-example-com", InfraV1)]
    [InlineData("bar.foo.example.com", "/abc-foo-example-com", "404")]
    [InlineData("abc.foo.example.com", "/empty-hostname", "404")]
    [InlineData("abc.foo.example.com", "/wildcard-example-com", "404")]
    [InlineData("abc.foo.example.com", "/wildcard-foo-example-com", "404")]
    [InlineData("abc.foo.example.com", "/abc-foo-example-com", InfraV1)]
    public Task Requests_are_served_by_the_routes_of_their_listener_only(string host, string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path, host), expected);
}
