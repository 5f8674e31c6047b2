namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayListenerUnsupportedProtocol (conformance/tests/gateway-invalid-listeners-unsupported-protocol.go): a listener
/// of a protocol OneHop does not serve is not accepted (UnsupportedProtocol); a Gateway is accepted when any listener is.
/// </summary>
public sealed class GatewayListenerUnsupportedProtocolTests(GatewayListenerUnsupportedProtocolTests.Gateway gateway) : IClassFixture<GatewayListenerUnsupportedProtocolTests.Gateway>
{
    [Fact]
    public void A_Gateway_with_no_valid_listener_is_not_accepted()
    {
        gateway.GatewayHas("gateway-only-unsupported-protocols", "Accepted=False:ListenersNotValid");
        gateway.ListenerHas("gateway-only-unsupported-protocols", "invalid", 0, [], "Accepted=False:UnsupportedProtocol");
    }

    [Fact]
    public void A_Gateway_with_a_valid_listener_is_accepted_and_its_invalid_listener_is_not()
    {
        gateway.GatewayHas("gateway-supported-and-unsupported-protocols", "Accepted=True");
        gateway.ListenerHas("gateway-supported-and-unsupported-protocols", "http", 0, ConformanceAssert.HttpRoutes, "Accepted=True:Accepted");
        gateway.ListenerHas("gateway-supported-and-unsupported-protocols", "invalid", 0, [], "Accepted=False:UnsupportedProtocol");
    }

    [Fact]
    public void A_Gateway_with_an_invalid_listener_says_so_in_its_Accepted_reason() =>
        gateway.GatewayHas("gateway-supported-and-unsupported-protocols", "Accepted=True:ListenersNotValid");

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "gateway-invalid-listeners-unsupported-protocol.yaml");
}
