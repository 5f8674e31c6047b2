using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GatewayFrontendInvalidDefaultClientCertificateValidation
/// (conformance/tests/gateway-invalid-default-frontend-client-certificate-validation.go): a default CA reference that
/// does not resolve leaves the HTTPS listener unaccepted and unserved; the HTTP listener of the same Gateway serves.
/// </summary>
public sealed class GatewayFrontendInvalidDefaultClientCertificateValidationTests(GatewayFrontendInvalidDefaultClientCertificateValidationTests.Gateway gateway)
    : IClassFixture<GatewayFrontendInvalidDefaultClientCertificateValidationTests.Gateway>
{
    private const string Name = "invalid-default-client-validation-config";

    [Fact]
    public async Task The_http_listener_is_not_affected()
    {
        gateway.ListenerHas(Name, "http", 1, ConformanceAssert.HttpRoutes, "ResolvedRefs=True", "Accepted=True", "Programmed=True");
        await OneHopInstance.EventuallyAsync(
            async () => (await gateway.SendAsync(new ConformanceRequest("/", "example.org"), TestTimeouts.Token())).Status == 200,
            TimeSpan.FromSeconds(10),
            "the HTTP listener to serve",
            TestTimeouts.Token());
        await gateway.ExpectAsync(new ConformanceRequest("/", "example.org"), InfraV1);
    }

    [Fact]
    public async Task The_https_listener_is_not_accepted_and_not_served()
    {
        gateway.ListenerHas(Name, "https", 0, ConformanceAssert.HttpRoutes, "ResolvedRefs=False:InvalidCACertificateRef", "Accepted=False:NoValidCACertificate", "Programmed=False");

        // Once the HTTP port serves, the Gateway's ports are bound: the HTTPS one is not.
        await OneHopInstance.EventuallyAsync(
            async () => (await gateway.SendAsync(new ConformanceRequest("/", "example.org"), TestTimeouts.Token())).Status == 200,
            TimeSpan.FromSeconds(10),
            "the HTTP listener to serve",
            TestTimeouts.Token());
        await gateway.ExpectRefusedAsync(443, "example.org", null);
    }

    public sealed class Gateway(EchoBackends backends) : ClientCertificateGateway(backends, "gateway-invalid-default-frontend-client-certificate-validation.yaml");
}
