using static OneHop.IntegrationTests.Routing.GatewayApi.GrpcConformanceGateway;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>The suite's GRPCRouteNamedRule: a rule's name changes nothing in how it is served.</summary>
public sealed class GrpcRouteNamedRuleTests(GrpcRouteNamedRuleTests.Gateway gateway) : IClassFixture<GrpcRouteNamedRuleTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "grpc-named-rules");

    [Theory]
    [InlineData("Echo", V1)]
    [InlineData("EchoTwo", V2)]
    public Task Named_and_unnamed_rules_are_served(string method, string backend) => gateway.ReachesAsync(backend, method);

    public sealed class Gateway(EchoBackends backends) : GrpcConformanceGateway(backends, "grpcroute-named-rule.yaml");
}
