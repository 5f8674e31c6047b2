namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayHTTPListenerIsolation, "intersecting hostnames are configured in listeners and HTTPRoutes"
/// (gateway-http-listener-isolation-with-hostname-intersection.yaml).
/// </summary>
public sealed class GatewayHttpListenerIsolationOnIntersectingHostnamesTests(GatewayHttpListenerIsolationOnIntersectingHostnamesTests.Gateway gateway)
    : GatewayHttpListenerIsolationTests(gateway, "http-listener-isolation-with-hostname-intersection", "-with-hostname-intersection"), IClassFixture<GatewayHttpListenerIsolationOnIntersectingHostnamesTests.Gateway>
{
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "gateway-http-listener-isolation-with-hostname-intersection.yaml");
}
