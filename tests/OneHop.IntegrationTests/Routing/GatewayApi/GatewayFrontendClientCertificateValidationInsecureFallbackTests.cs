using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayFrontendClientCertificateValidationInsecureFallback
/// (conformance/tests/gateway-with-clientcertificate-validation-insecure-fallback.go): with <c>AllowInsecureFallback</c>
/// both ports let in a client of the right CA, of the other CA, and without certificate; the Gateway says so
/// (<c>InsecureFrontendValidationMode</c>).
/// </summary>
public sealed class GatewayFrontendClientCertificateValidationInsecureFallbackTests(GatewayFrontendClientCertificateValidationInsecureFallbackTests.Gateway gateway)
    : IClassFixture<GatewayFrontendClientCertificateValidationInsecureFallbackTests.Gateway>
{
    [Fact]
    public void The_gateway_is_accepted_and_says_its_validation_mode_is_insecure()
    {
        gateway.RoutesAccepted("client-validation-insecure-fallback", "client-cert-validation-insecure-fallback-test", "client-cert-validation-insecure-fallback-test-no-hostname");
        gateway.GatewayHas("client-validation-insecure-fallback", "InsecureFrontendValidationMode=True:ConfigurationChanged");
    }

    [Fact]
    public async Task The_default_port_admits_every_client()
    {
        await gateway.ExpectServedAsync(443, "example.org", gateway.DefaultClient, InfraV1);
        await gateway.ExpectServedAsync(443, "example.org", gateway.PerPortClient, InfraV1);
        await gateway.ExpectServedAsync(443, "example.org", null, InfraV1);
    }

    [Fact]
    public async Task The_per_port_configuration_admits_every_client()
    {
        await gateway.ExpectServedAsync(8443, "second-example.org", gateway.PerPortClient, InfraV2);
        await gateway.ExpectServedAsync(8443, "second-example.org", gateway.DefaultClient, InfraV2);
        await gateway.ExpectServedAsync(8443, "second-example.org", null, InfraV2);
    }

    public sealed class Gateway(EchoBackends backends) : ClientCertificateGateway(backends, "gateway-with-clientcertificate-validation-insecure-fallback.yaml");
}
