using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>HTTPRouteNamedRule (conformance/tests/httproute-named-rule.go): a rule's name changes nothing in routing.</summary>
public sealed class HttpRouteNamedRuleTests(HttpRouteNamedRuleTests.Gateway gateway) : IClassFixture<HttpRouteNamedRuleTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "http-named-rules");

    [Theory]
    [InlineData("/named", InfraV1)]
    [InlineData("/unnamed", InfraV2)]
    public Task Named_and_unnamed_rules_are_served(string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-named-rule.yaml");
}
