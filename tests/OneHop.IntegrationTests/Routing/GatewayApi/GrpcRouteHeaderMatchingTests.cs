using static OneHop.IntegrationTests.Routing.GatewayApi.GrpcConformanceGateway;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>The suite's GRPCRouteHeaderMatching: header matches ANDed within a match, ORed across matches, rules in order.</summary>
public sealed class GrpcRouteHeaderMatchingTests(GrpcRouteHeaderMatchingTests.Gateway gateway) : IClassFixture<GrpcRouteHeaderMatchingTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "grpc-header-matching");

    [Theory]
    [InlineData(V1, "Version: one")]
    [InlineData(V2, "Version: two")]
    [InlineData(V1, "Version: two", "Color: orange")]
    [InlineData(V2, "Version: two", "Color: blue")]
    [InlineData(V1, "Color: blue")]
    [InlineData(V1, "Color: green")]
    [InlineData(V2, "Color: red")]
    [InlineData(V2, "Color: yellow")]
    public Task Matching_headers_pick_the_backend(string backend, params string[] metadata) => gateway.ReachesAsync(backend, metadata: metadata);

    [Theory]
    [InlineData("Color: orange")]
    [InlineData("Some-Other-Header: one")]
    [InlineData("Color: purple")]
    public Task Other_headers_match_no_rule(string metadata) => gateway.UnimplementedAsync(metadata: [metadata]);

    public sealed class Gateway(EchoBackends backends) : GrpcConformanceGateway(backends, "grpcroute-header-matching.yaml");
}
