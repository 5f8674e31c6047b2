namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewaySecretInvalidReferenceGrant (conformance/tests/gateway-secret-invalid-reference-grant.go): ReferenceGrants
/// each wrong in one field (their namespace, from group, kind or namespace, to group, kind or name) permit nothing.
/// </summary>
public sealed class GatewaySecretInvalidReferenceGrantTests(GatewaySecretInvalidReferenceGrantTests.Gateway gateway) : IClassFixture<GatewaySecretInvalidReferenceGrantTests.Gateway>
{
    [Fact]
    public void The_listener_is_not_permitted_its_certificate() =>
        gateway.ListenerHas("gateway-secret-invalid-reference-grant", "https", 0, ConformanceAssert.HttpRoutes, "ResolvedRefs=False:RefNotPermitted", "Programmed=False");

    public sealed class Gateway(EchoBackends backends) : SuiteSecretsGateway(backends, "gateway-secret-invalid-reference-grant.yaml");
}
