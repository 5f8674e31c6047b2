using static OneHop.IntegrationTests.Routing.GatewayApi.GrpcConformanceGateway;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>The suite's GRPCRouteListenerHostnameMatching: the :authority picks the listener, each with its own route.</summary>
public sealed class GrpcRouteListenerHostnameMatchingTests(GrpcRouteListenerHostnameMatchingTests.Gateway gateway) : IClassFixture<GrpcRouteListenerHostnameMatchingTests.Gateway>
{
    private const string Gw = "grpcroute-listener-hostname-matching";

    [Fact]
    public void Every_route_is_accepted_by_its_listeners()
    {
        gateway.RoutesAccepted(Gw, "backend-v1", "backend-v2", "backend-v3");
        gateway.ListenerHas(Gw, "listener-1", 1, ConformanceAssert.HttpRoutes, "Accepted=True");
        gateway.ListenerHas(Gw, "listener-3", 1, ConformanceAssert.HttpRoutes, "Accepted=True");
    }

    [Theory]
    [InlineData("bar.com", V1)]
    [InlineData("foo.bar.com", V2)]
    [InlineData("baz.bar.com", V3)]
    [InlineData("boo.bar.com", V3)]
    [InlineData("multiple.prefixes.bar.com", V3)]
    [InlineData("multiple.prefixes.foo.com", V3)]
    public Task The_authority_picks_the_listener(string authority, string backend) => gateway.ReachesAsync(backend, authority: authority);

    [Theory]
    [InlineData("foo.com")]
    [InlineData("no.matching.host")]
    public Task An_authority_no_listener_serves_is_unimplemented(string authority) => gateway.UnimplementedAsync(authority: authority);

    public sealed class Gateway(EchoBackends backends) : GrpcConformanceGateway(backends, "grpcroute-listener-hostname-matching.yaml");
}
