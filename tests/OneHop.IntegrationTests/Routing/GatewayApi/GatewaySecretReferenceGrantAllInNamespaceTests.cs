namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewaySecretReferenceGrantAllInNamespace (conformance/tests/gateway-secret-reference-grant-all-in-namespace.go): a
/// ReferenceGrant to every Secret of gateway-conformance-web-backend lets the Gateway's HTTPS listener use one there.
/// </summary>
public sealed class GatewaySecretReferenceGrantAllInNamespaceTests(GatewaySecretReferenceGrantAllInNamespaceTests.Gateway gateway) : IClassFixture<GatewaySecretReferenceGrantAllInNamespaceTests.Gateway>
{
    [Fact]
    public void The_listener_resolves_its_certificate_and_is_programmed() =>
        gateway.ListenerHas("gateway-secret-reference-grant-all-in-namespace", "https", 0, ConformanceAssert.HttpRoutes, "Programmed=True:Programmed", "ResolvedRefs=True");

    public sealed class Gateway(EchoBackends backends) : SuiteSecretsGateway(backends, "gateway-secret-reference-grant-all-in-namespace.yaml");
}
