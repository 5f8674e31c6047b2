using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayWithAttachedRoutesWithPort8080 (conformance/tests/gateway-with-attached-routes.go): a route attached by
/// sectionName to the port-80 listener of a Gateway that also listens on 8080.
/// </summary>
public sealed class GatewayWithAttachedRoutesWithPort8080Tests(GatewayWithAttachedRoutesWithPort8080Tests.Gateway gateway) : IClassFixture<GatewayWithAttachedRoutesWithPort8080Tests.Gateway>
{
    private const string Name = "gateway-with-two-listeners-and-one-attached-route";

    [Fact]
    public void Only_the_listener_named_by_the_route_counts_it()
    {
        gateway.ListenerHas(Name, "http-unattached", 0, ConformanceAssert.HttpRoutes, "Accepted=True", "ResolvedRefs=True");
        gateway.ListenerHas(Name, "http", 1, ConformanceAssert.HttpRoutes, "Accepted=True", "ResolvedRefs=True");
    }

    /// <summary>Not a case of the suite, which checks only status here: the route is served on its listener's port alone.</summary>
    [Theory]
    [InlineData(80, InfraV1)]
    [InlineData(8080, "404")]
    public Task The_route_is_served_on_its_listeners_port_only(int port, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest("/"), expected, port);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "gateway-with-attached-routes-with-port-8080.yaml", 80, 8080);
}
