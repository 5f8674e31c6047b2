using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteTimeoutRequest (conformance/tests/httproute-timeout-request.go): timeouts.request of 500ms answers 504 for
/// a pod that takes 1s; 0s turns the timeout off.
/// </summary>
public sealed class HttpRouteTimeoutRequestTests(HttpRouteTimeoutRequestTests.Gateway gateway) : IClassFixture<HttpRouteTimeoutRequestTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "request-timeout");

    [Theory]
    [InlineData("/request-timeout", InfraV1)]
    [InlineData("/request-timeout?delay=1s", "504")]
    [InlineData("/disable-request-timeout?delay=1s", InfraV1)]
    public Task Slow_requests_time_out_where_a_timeout_is_set(string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-timeout-request.yaml");
}
