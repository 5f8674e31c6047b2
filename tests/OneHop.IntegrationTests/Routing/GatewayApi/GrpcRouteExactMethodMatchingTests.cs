using static OneHop.IntegrationTests.Routing.GatewayApi.GrpcConformanceGateway;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>The suite's GRPCExactMethodMatching: exact service and method matches pick the backend.</summary>
public sealed class GrpcRouteExactMethodMatchingTests(GrpcRouteExactMethodMatchingTests.Gateway gateway) : IClassFixture<GrpcRouteExactMethodMatchingTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "exact-matching");

    [Fact]
    public Task Echo_reaches_v1() => gateway.ReachesAsync(V1, "Echo");

    [Fact]
    public Task EchoTwo_reaches_v2() => gateway.ReachesAsync(V2, "EchoTwo");

    [Fact]
    public Task EchoThree_matches_no_rule_and_is_unimplemented() => gateway.UnimplementedAsync("EchoThree");

    public sealed class Gateway(EchoBackends backends) : GrpcConformanceGateway(backends, "grpcroute-exact-method-matching.yaml");
}
