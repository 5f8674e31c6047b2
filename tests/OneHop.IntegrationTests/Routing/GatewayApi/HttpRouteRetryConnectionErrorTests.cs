using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteRetryConnectionError (conformance/tests/httproute-retry-connection-error.go): a pod that resets the
/// connection is retried by a rule with <c>retry</c> and no codes; when every attempt is reset the answer is 500 or 503
/// (OneHop: 503).
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class HttpRouteRetryConnectionErrorTests(HttpRouteRetryConnectionErrorTests.Gateway gateway) : IClassFixture<HttpRouteRetryConnectionErrorTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "retries-connection-error");

    [Fact]
    public Task Resets_are_retried_until_the_pod_answers() =>
        RetryCase.ExpectAsync(gateway, "/retry/no-status-code-attempts-3", "succeedAfter=2", [200], 3);

    [Fact]
    public Task Resets_past_the_attempts_are_answered_as_unavailable() =>
        RetryCase.ExpectAsync(gateway, "/retry/no-status-code-attempts-3", "succeedAfter=4", [500, 503], 4);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-retry-connection-error.yaml");
}
