namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayInvalidParametersRef (conformance/tests/gateway-invalid-parameters-ref.go): a Gateway whose
/// <c>spec.infrastructure.parametersRef</c> names a kind OneHop does not support (it supports none) is not accepted,
/// reason InvalidParameters; the base Gateways beside it are untouched.
/// </summary>
public sealed class GatewayInvalidParametersRefTests(GatewayInvalidParametersRefTests.Gateway gateway) : IClassFixture<GatewayInvalidParametersRefTests.Gateway>
{
    [Fact]
    public void The_gateway_is_not_accepted_with_InvalidParameters() =>
        gateway.GatewayHas("gateway-invalid-parameters-ref", "Accepted=False:InvalidParameters", "Programmed=False");

    [Fact]
    public void Its_listener_is_not_programmed() =>
        gateway.ListenerHas("gateway-invalid-parameters-ref", "http", 0, ConformanceAssert.HttpRoutes, "Programmed=False");

    [Fact]
    public void The_other_gateways_are_accepted() =>
        gateway.GatewayHas("same-namespace", "Accepted=True:Accepted", "Programmed=True");

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "gateway-invalid-parameters-ref.yaml");
}
