using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteRequestPercentageMirror (conformance/tests/httproute-request-percentage-mirror.go, provisional), as the suite
/// runs it: every request reaches infra-backend-v1 (after the rule's header modifier), then 500 requests, 10 at a time,
/// carry a fresh request id, and the copies infra-backend-v2's pods echoed must be within 3 binomial standard deviations
/// of the rule's share; up to 5 tries, as the suite allows.
/// </summary>
public sealed class HttpRouteRequestPercentageMirrorTests(HttpRouteRequestPercentageMirrorTests.Gateway gateway) : IClassFixture<HttpRouteRequestPercentageMirrorTests.Gateway>
{
    private const int TotalRequests = 500;
    private const int Concurrency = 10;
    private const int Checks = 5;
    private const double ToleranceStdDevs = 3.0;
    private const string RequestIdParam = "gateway-api-conformance-request-id";

    public static TheoryData<string, int, string[], string[], string[]> Cases => new()
    {
        { "/percent-mirror", 20, [], [], [] },
        { "/percent-mirror-fraction", 50, [], [], [] },
        {
            "/percent-mirror-and-modify-headers",
            35,
            ["X-Header-Remove: remove-val", "X-Header-Add-Append: append-val-1"],
            ["X-Header-Add: header-val-1", "X-Header-Add-Append: append-val-1,header-val-2", "X-Header-Set: set-overwrites-values"],
            ["X-Header-Remove"]
        },
    };

    [Fact]
    public void The_route_is_accepted_with_its_refs_resolved() => gateway.RoutesAccepted("same-namespace", "request-percentage-mirror");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_mirror_gets_its_share_of_the_requests(string path, int percent, string[] sent, string[] expected, string[] absent)
    {
        var cancellationToken = TestTimeouts.Token(TimeSpan.FromMinutes(2));
        await ReachesMainAsync(new ConformanceRequest(path, Headers: sent), expected, absent, cancellationToken);

        var p = percent / 100.0;
        var mean = TotalRequests * p;
        var margin = ToleranceStdDevs * Math.Sqrt(TotalRequests * p * (1 - p));
        var failures = new List<string>();
        for (var check = 1; check <= Checks; check++)
        {
            var request = new ConformanceRequest($"{path}?{RequestIdParam}={Guid.NewGuid()}", Headers: sent);
            await Parallel.ForAsync(
                0,
                TotalRequests,
                new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
                async (_, token) => await ReachesMainAsync(request, expected, absent, token));

            var mirrored = await SettledCountAsync(request.Path, cancellationToken);
            if (Math.Abs(mirrored - mean) <= margin)
            {
                return;
            }

            failures.Add($"check {check}: {mirrored} of {TotalRequests} mirrored, expected {mean} ± {margin:F1}");
        }

        Assert.Fail($"{path}: the mirror's share is off in every check: {string.Join("; ", failures)}");
    }

    /// <summary>The main backend answers, having got the request as the rule's header modifier left it.</summary>
    private async Task ReachesMainAsync(ConformanceRequest request, string[] expected, string[] absent, CancellationToken cancellationToken)
    {
        var echo = ConformanceAssert.Reached(await gateway.SendAsync(request, cancellationToken), request, InfraV1);
        ConformanceAssert.HeadersAre(echo.Header, $"{request}, at the pod", expected, absent);
    }

    /// <summary>
    /// The copies of <paramref name="target"/> infra-backend-v2 echoed, once no more arrive: mirrors are fire and forget,
    /// so the last ones may land after the last answer (the suite reads the logs after its requests too).
    /// </summary>
    private async Task<int> SettledCountAsync(string target, CancellationToken cancellationToken)
    {
        var count = await gateway.Backends.EchoedAsync(InfraV2, target, cancellationToken);
        for (var unchanged = 0; unchanged < 3;)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            var now = await gateway.Backends.EchoedAsync(InfraV2, target, cancellationToken);
            unchanged = now == count ? unchanged + 1 : 0;
            count = now;
        }

        return count;
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-request-percentage-mirror.yaml");
}
