using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteRetryWithTimeouts (conformance/tests/httproute-retry-with-timeouts.go), which also proves
/// HTTPRouteRetryBackendTimeout: an attempt past <c>timeouts.backendRequest</c> is retried with a budget of its own, and
/// <c>timeouts.request</c> bounds every attempt and wait together (504).
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class HttpRouteRetryWithTimeoutsTests(HttpRouteRetryWithTimeoutsTests.Gateway gateway) : IClassFixture<HttpRouteRetryWithTimeoutsTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "retries-with-timeouts");

    [Fact]
    public Task Attempts_past_the_backend_timeout_are_retried_until_one_is_in_time() =>
        RetryCase.ExpectAsync(gateway, "/retry/backend-request-timeout-200ms", "responseCode=500&succeedAfter=2&delayRetry=300ms", [200], 3);

    [Fact]
    public Task Attempts_past_the_backend_timeout_beyond_the_attempts_are_answered_504() =>
        RetryCase.ExpectAsync(gateway, "/retry/backend-request-timeout-200ms", "responseCode=500&succeedAfter=3&delayRetry=300ms", [504], 3);

    [Fact]
    public Task Retries_within_the_request_timeout_succeed() =>
        RetryCase.ExpectAsync(gateway, "/retry/request-timeout-200ms", "responseCode=500&succeedAfter=1", [200], 2);

    [Fact]
    public Task Retries_past_the_request_timeout_are_answered_504() =>
        RetryCase.ExpectAsync(gateway, "/retry/request-timeout-200ms", "responseCode=500&succeedAfter=4&delayRetry=100ms", [504], null);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-retry-with-timeouts.yaml");
}
