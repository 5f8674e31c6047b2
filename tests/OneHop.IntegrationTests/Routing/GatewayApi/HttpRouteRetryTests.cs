using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteRetry (conformance/tests/httproute-retry.go): the codes a rule's <c>retry</c> names are retried up to
/// <c>attempts</c> times after the first try, on the one pod of infra-backend-v3; the pod's last answer reaches the client
/// when they are spent, and a code not named is never retried. The attempts the pod saw are OneHop's own check.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class HttpRouteRetryTests(HttpRouteRetryTests.Gateway gateway) : IClassFixture<HttpRouteRetryTests.Gateway>
{
    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "retries");

    [Theory]
    [InlineData("/retry/code-500-attempts-3", 500, 2, 200, 3)]
    [InlineData("/retry/code-500-attempts-3", 500, 4, 500, 4)]
    [InlineData("/retry/code-500-attempts-3", 503, 2, 503, 1)]
    [InlineData("/retry/code-all-attempts-2", 500, 1, 200, 2)]
    [InlineData("/retry/code-all-attempts-2", 500, 3, 500, 3)]
    [InlineData("/retry/code-all-attempts-2", 502, 1, 200, 2)]
    [InlineData("/retry/code-all-attempts-2", 502, 3, 502, 3)]
    [InlineData("/retry/code-all-attempts-2", 503, 1, 200, 2)]
    [InlineData("/retry/code-all-attempts-2", 503, 3, 503, 3)]
    [InlineData("/retry/code-all-attempts-2", 504, 1, 200, 2)]
    [InlineData("/retry/code-all-attempts-2", 504, 3, 504, 3)]
    public Task Failed_answers_of_the_rules_codes_are_retried_up_to_its_attempts(string path, int responseCode, int succeedAfter, int status, int attempts) =>
        RetryCase.ExpectAsync(gateway, path, $"responseCode={responseCode}&succeedAfter={succeedAfter}", [status], attempts);

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-retry.yaml");
}
