namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>GatewayHTTPListenerIsolation, "hostnames are configured only in listeners" (gateway-http-listener-isolation.yaml).</summary>
public sealed class GatewayHttpListenerIsolationOnListenerHostnamesTests(GatewayHttpListenerIsolationOnListenerHostnamesTests.Gateway gateway)
    : GatewayHttpListenerIsolationTests(gateway, "http-listener-isolation", string.Empty), IClassFixture<GatewayHttpListenerIsolationOnListenerHostnamesTests.Gateway>
{
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "gateway-http-listener-isolation.yaml");
}
