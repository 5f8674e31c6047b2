using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteTimeoutBackendRequest (conformance/tests/httproute-timeout-backend-request.go): timeouts.backendRequest of
/// 500ms answers 504 for a pod that takes 1s; 0s turns it off (a row of OneHop's own: the suite checks only the first two).
/// </summary>
public sealed class HttpRouteTimeoutBackendRequestTests(HttpRouteTimeoutBackendRequestTests.Gateway gateway) : IClassFixture<HttpRouteTimeoutBackendRequestTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "backend-request-timeout");

    [Theory]
    [InlineData("/backend-timeout", InfraV1)]
    [InlineData("/backend-timeout?delay=1s", "504")]
    [InlineData("/disabled-backend-timeout?delay=1s", InfraV1)]
    public Task Slow_attempts_time_out_where_a_backend_timeout_is_set(string path, string expected) =>
        gateway.ExpectAsync(new ConformanceRequest(path), expected);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-timeout-backend-request.yaml");
}
