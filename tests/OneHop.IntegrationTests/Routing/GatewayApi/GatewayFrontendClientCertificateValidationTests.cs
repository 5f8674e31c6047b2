using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayFrontendClientCertificateValidation (conformance/tests/gateway-with-clientcertificate-validation.go): port
/// 443 validates client certificates against the default CA, port 8443 against its per-port CA; a certificate of the
/// other CA, or none, is refused in the TLS handshake.
/// </summary>
public sealed class GatewayFrontendClientCertificateValidationTests(GatewayFrontendClientCertificateValidationTests.Gateway gateway) : IClassFixture<GatewayFrontendClientCertificateValidationTests.Gateway>
{
    [Fact]
    public void The_gateway_and_its_routes_are_accepted_with_their_references_resolved()
    {
        gateway.RoutesAccepted("client-validation-default", "client-certificate-validation-https-test", "client-certificate-validation-https-test-no-hostname");
        gateway.ListenerHas("client-validation-default", "https", 1, ConformanceAssert.HttpRoutes, "ResolvedRefs=True", "Accepted=True", "Programmed=True");
        gateway.ListenerHas("client-validation-default", "https-with-hostname", 1, ConformanceAssert.HttpRoutes, "ResolvedRefs=True", "Accepted=True", "Programmed=True");
    }

    [Fact]
    public async Task The_default_configuration_admits_the_default_cas_client_and_refuses_the_others()
    {
        await gateway.ExpectServedAsync(443, "example.org", gateway.DefaultClient, InfraV1);
        await gateway.ExpectRefusedAsync(443, "example.org", gateway.PerPortClient);
        await gateway.ExpectRefusedAsync(443, "example.org", null);
    }

    [Fact]
    public async Task The_per_port_configuration_admits_its_cas_client_and_refuses_the_default_one()
    {
        await gateway.ExpectServedAsync(8443, "second-example.org", gateway.PerPortClient, InfraV2);
        await gateway.ExpectRefusedAsync(8443, "second-example.org", gateway.DefaultClient);
        await gateway.ExpectRefusedAsync(8443, "second-example.org", null);
    }

    public sealed class Gateway(EchoBackends backends) : ClientCertificateGateway(backends, "gateway-with-clientcertificate-validation.yaml");
}
