namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewaySecretMissingReferenceGrant (conformance/tests/gateway-secret-missing-reference-grant.go): without a
/// ReferenceGrant the Secret of gateway-conformance-web-backend is refused (<c>RefNotPermitted</c>), though it exists.
/// </summary>
public sealed class GatewaySecretMissingReferenceGrantTests(GatewaySecretMissingReferenceGrantTests.Gateway gateway) : IClassFixture<GatewaySecretMissingReferenceGrantTests.Gateway>
{
    [Fact]
    public void The_listener_is_not_permitted_its_certificate() =>
        gateway.ListenerHas("gateway-secret-missing-reference-grant", "https", 0, ConformanceAssert.HttpRoutes, "ResolvedRefs=False:RefNotPermitted", "Programmed=False");

    public sealed class Gateway(EchoBackends backends) : SuiteSecretsGateway(backends, "gateway-secret-missing-reference-grant.yaml");
}
