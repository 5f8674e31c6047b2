namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayInvalidFrontendClientCertificateValidation (conformance/tests/gateway-with-invalid-clientcertificate-validation.go):
/// a per-port CA reference that does not exist, is not a ConfigMap, or is another namespace's without a ReferenceGrant
/// leaves only that port's listener unaccepted (NoValidCACertificate), each with the spec's ResolvedRefs reason.
/// </summary>
public sealed class GatewayInvalidFrontendClientCertificateValidationTests(GatewayInvalidFrontendClientCertificateValidationTests.Gateway gateway)
    : IClassFixture<GatewayInvalidFrontendClientCertificateValidationTests.Gateway>
{
    private const string Name = "gateway-with-invalid-client-cert-validation";

    [Fact]
    public void The_default_valid_configuration_is_accepted() =>
        gateway.ListenerHas(Name, "https", 0, ConformanceAssert.HttpRoutes, "ResolvedRefs=True", "Accepted=True", "Programmed=True");

    [Theory]
    [InlineData("https-unresolved", "InvalidCACertificateRef")]
    [InlineData("https-invalid-kind", "InvalidCACertificateKind")]
    [InlineData("https-grant-missing", "RefNotPermitted")]
    public void An_invalid_per_port_reference_leaves_its_listener_unaccepted(string listener, string reason) =>
        gateway.ListenerHas(Name, listener, 0, ConformanceAssert.HttpRoutes, $"ResolvedRefs=False:{reason}", "Accepted=False:NoValidCACertificate", "Programmed=False");

    public sealed class Gateway(EchoBackends backends) : ClientCertificateGateway(backends, "gateway-with-invalid-clientcertificate-validation.yaml");
}
