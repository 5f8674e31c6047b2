namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewaySecretReferenceGrantSpecific (conformance/tests/gateway-secret-reference-grant-specific.go): a ReferenceGrant
/// to the Secret by name lets the Gateway's HTTPS listener use it from gateway-conformance-web-backend.
/// </summary>
public sealed class GatewaySecretReferenceGrantSpecificTests(GatewaySecretReferenceGrantSpecificTests.Gateway gateway) : IClassFixture<GatewaySecretReferenceGrantSpecificTests.Gateway>
{
    [Fact]
    public void The_listener_resolves_its_certificate_and_is_programmed() =>
        gateway.ListenerHas("gateway-secret-reference-grant-specific", "https", 0, ConformanceAssert.HttpRoutes, "Programmed=True:Programmed", "ResolvedRefs=True");

    public sealed class Gateway(EchoBackends backends) : SuiteSecretsGateway(backends, "gateway-secret-reference-grant-specific.yaml");
}
