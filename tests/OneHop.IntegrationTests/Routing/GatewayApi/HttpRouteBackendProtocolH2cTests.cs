using System.Net;
using System.Net.Http.Json;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteBackendProtocolH2C (conformance/tests/httproute-backend-protocol-h2c.go): a client speaking HTTP/2 with prior
/// knowledge to the Gateway's cleartext port 80 reaches the Service port of appProtocol kubernetes.io/h2c, which OneHop
/// speaks h2c to. The port is bound by OneHop as the Gateway asks (<c>--gateway-address</c>), and takes HTTP/1.1 on the
/// same port too.
/// </summary>
public sealed class HttpRouteBackendProtocolH2cTests(HttpRouteBackendProtocolH2cTests.Gateway gateway) : IClassFixture<HttpRouteBackendProtocolH2cTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backend_resolved() => gateway.RoutesAccepted("same-namespace", "backend-protocol-h2c");

    [Fact]
    public async Task An_http2_prior_knowledge_request_reaches_the_backend_over_h2c()
    {
        var echo = await gateway.GetAsync(HttpVersion.Version20);

        Assert.StartsWith(EchoBackends.InfraV1 + "-", echo.Pod, StringComparison.Ordinal);
        Assert.Equal(EchoBackends.Infra, echo.Namespace);
        Assert.Equal("HTTP/2", echo.Proto);
    }

    [Fact]
    public async Task An_http11_request_on_the_same_port_still_reaches_the_backend()
    {
        var echo = await gateway.GetAsync(HttpVersion.Version11);

        Assert.StartsWith(EchoBackends.InfraV1 + "-", echo.Pod, StringComparison.Ordinal);
        Assert.Equal("HTTP/2", echo.Proto);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-backend-protocol-h2c.yaml")
    {
        protected override bool OnGatewayAddress => true;

        /// <summary>GET / at the Gateway's port 80 in exactly <paramref name="version"/>, retried while the port is not bound yet.</summary>
        internal async Task<EchoedRequest> GetAsync(Version version)
        {
            var cancellationToken = TestTimeouts.Token();
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Address}:80/") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
                    using var response = await client.SendAsync(request, cancellationToken);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Equal(version, response.Version);
                    return (await response.Content.ReadFromJsonAsync<EchoedRequest>(EchoedRequest.Json, cancellationToken))!;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }
    }
}
