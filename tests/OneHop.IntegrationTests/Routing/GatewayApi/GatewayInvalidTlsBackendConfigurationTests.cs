namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayInvalidTLSBackendConfiguration (conformance/tests/gateway-invalid-tls-backend-configuration.go): a Gateway's
/// <c>spec.tls.backend.clientCertificateRef</c> that does not resolve (a missing Secret, another group, another kind, a
/// Secret without a certificate and key, another namespace without a ReferenceGrant) gives the Gateway
/// <c>ResolvedRefs=False</c> with the suite's reason, and leaves it accepted.
/// </summary>
public sealed class GatewayInvalidTlsBackendConfigurationTests(GatewayInvalidTlsBackendConfigurationTests.Gateway gateway) : IClassFixture<GatewayInvalidTlsBackendConfigurationTests.Gateway>
{
    [Theory]
    [InlineData("gateway-client-certificate-nonexistent-secret", "InvalidClientCertificateRef")]
    [InlineData("gateway-client-certificate-unsupported-group", "InvalidClientCertificateRef")]
    [InlineData("gateway-client-certificate-unsupported-kind", "InvalidClientCertificateRef")]
    [InlineData("gateway-client-certificate-malformed-secret", "InvalidClientCertificateRef")]
    [InlineData("gateway-client-certificate-missing-reference-grant", "RefNotPermitted")]
    public void The_gateway_has_ResolvedRefs_false_and_stays_accepted(string name, string reason) =>
        gateway.GatewayHas(name, $"ResolvedRefs=False:{reason}", "Accepted=True:Accepted");

    public sealed class Gateway(EchoBackends backends) : SuiteSecretsGateway(backends, "gateway-invalid-tls-backend-configuration.yaml");
}
