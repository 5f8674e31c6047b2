using System.Net;
using System.Net.Http.Json;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteHTTPSListener (conformance/tests/httproute-https-listener.go): routes attached to the base's Gateway
/// same-namespace-with-https-listener, reached over TLS by clients that verify the certificate of
/// tls-validity-checks-certificate for the name they ask for (SNI and Host alike), on port 443 of the Gateway's address.
/// </summary>
public sealed class HttpRouteHttpsListenerTests(HttpRouteHttpsListenerTests.Gateway gateway) : IClassFixture<HttpRouteHttpsListenerTests.Gateway>
{
    private const string GatewayName = "same-namespace-with-https-listener";

    [Fact]
    public void The_gateway_and_its_routes_are_accepted_with_their_references_resolved() =>
        gateway.RoutesAccepted(GatewayName, "httproute-https-test", "httproute-https-test-no-hostname");

    [Theory]
    [InlineData("example.org", 200, InfraV1)]
    [InlineData("unknown-example.org", 404, null)]
    [InlineData("second-example.org", 200, InfraV2)]
    public async Task A_request_over_tls_is_answered_as_the_suite_expects(string host, int status, string? backend)
    {
        using var client = gateway.Ca.Client(443, address: IPAddress.Parse(gateway.Address));
        GatewayResponse? last = null;
        await OneHopInstance.EventuallyAsync(async () => (last = await TryGetAsync(client, host)) is not null, TimeSpan.FromSeconds(10), $"https://{host}/ to be answered", TestTimeouts.Token());

        // The certificate of the listener whose routes answer: the Secret's, for a name no listener's hostname gives too.
        Assert.Equal("CN=example.org", client.LastServerCertificate!.Subject);
        Assert.True(last!.Status == status, $"https://{host}/: expected {status}, got {last}");
        if (backend is not null)
        {
            ConformanceAssert.Reached(last, new ConformanceRequest("/", host), backend);
        }
    }

    /// <summary>OneHop's answer to a GET of <paramref name="host"/>'s <c>/</c>; null while the port does not answer (not bound yet).</summary>
    private static async Task<GatewayResponse?> TryGetAsync(TestCertificates.TlsClient client, string host)
    {
        try
        {
            using var response = await client.Http.GetAsync(client.Url(host), TestTimeouts.Token());
            var echo = response.Content.Headers.ContentType?.MediaType == "application/json"
                ? await response.Content.ReadFromJsonAsync<EchoedRequest>(EchoedRequest.Json, TestTimeouts.Token())
                : null;
            return new GatewayResponse((int)response.StatusCode, echo, new Dictionary<string, string>(), null);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public sealed class Gateway(EchoBackends backends) : SuiteSecretsGateway(backends, "httproute-https-listener.yaml")
    {
        protected override bool OnGatewayAddress => true;

        protected override async Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
            new Dictionary<string, string>(await base.MoreFilesAsync(cancellationToken)) { ["base-https-listener.yaml"] = Data("base-https-listener.yaml") };
    }
}
