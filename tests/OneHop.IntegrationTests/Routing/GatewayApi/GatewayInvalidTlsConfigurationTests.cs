namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayInvalidTLSConfiguration (conformance/tests/gateway-invalid-tls-configuration.go): an HTTPS listener whose
/// certificateRef names a missing Secret, another group, another kind, or a Secret whose data is no certificate has
/// <c>ResolvedRefs=False</c> (<c>InvalidCertificateRef</c>), no routes, and is not programmed.
/// </summary>
public sealed class GatewayInvalidTlsConfigurationTests(GatewayInvalidTlsConfigurationTests.Gateway gateway) : IClassFixture<GatewayInvalidTlsConfigurationTests.Gateway>
{
    [Theory]
    [InlineData("gateway-certificate-nonexistent-secret")]
    [InlineData("gateway-certificate-unsupported-group")]
    [InlineData("gateway-certificate-unsupported-kind")]
    [InlineData("gateway-certificate-malformed-secret")]
    public void The_listener_has_an_invalid_certificate_ref(string gatewayName) =>
        gateway.ListenerHas(gatewayName, "https", 0, ConformanceAssert.HttpRoutes, "ResolvedRefs=False:InvalidCertificateRef", "Programmed=False");

    public sealed class Gateway(EchoBackends backends) : SuiteSecretsGateway(backends, "gateway-invalid-tls-configuration.yaml");
}
