using System.Collections.Concurrent;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteWeight (conformance/tests/httproute-weight.go): backends of weights 70, 30 and 0 get those shares of 500
/// requests, 10 at a time, within 5 points, as weight.TestWeightedDistribution measures; like the suite, a sample
/// outside that is drawn again, up to 10 times, so chance alone fails it about once in 10^18 runs.
/// </summary>
public sealed class HttpRouteWeightTests(HttpRouteWeightTests.Gateway gateway) : IClassFixture<HttpRouteWeightTests.Gateway>
{
    private const int Requests = 500;
    private const double Tolerance = 0.05;
    private const int Samples = 10;

    private static readonly Dictionary<string, double> Weights = new() { [InfraV1] = 0.7, [InfraV2] = 0.3, [InfraV3] = 0.0 };

    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "weighted-backends");

    [Fact]
    public async Task Requests_are_shared_by_weight()
    {
        var failures = new List<string>();
        for (var sample = 0; sample < Samples; sample++)
        {
            var failure = Compare(await SampleAsync(TestTimeouts.Token()));
            if (failure is null)
            {
                return;
            }

            failures.Add(failure);
        }

        Assert.Fail(string.Join("\n", failures));
    }

    private async Task<IReadOnlyDictionary<string, int>> SampleAsync(CancellationToken cancellationToken)
    {
        var seen = new ConcurrentDictionary<string, int>();
        var request = new ConformanceRequest("/");
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = cancellationToken }, async (_, ct) =>
        {
            var response = await gateway.SendAsync(request, ct);
            Assert.True(response is { Status: 200, Echo: not null }, $"expected 200 from a pod, got {response}");
            seen.AddOrUpdate(ServiceOf(response.Echo.Pod), 1, (_, n) => n + 1);
        });
        return seen;
    }

    /// <summary>Why the sample is off: a backend of weight 0 reached, or a share outside the tolerance; null when it is not.</summary>
    private static string? Compare(IReadOnlyDictionary<string, int> seen)
    {
        var problems = Weights
            .Select(w => (Backend: w.Key, Want: w.Value, Got: (double)seen.GetValueOrDefault(w.Key) / Requests))
            .Where(w => Math.Abs(w.Got - w.Want) > Tolerance || (w.Want == 0 && w.Got > 0))
            .Select(w => $"{w.Backend}: {w.Got:P1} of requests, want {w.Want:P0}");
        var unexpected = seen.Keys.Except(Weights.Keys).Select(b => $"{b} got requests");
        var all = problems.Concat(unexpected).ToList();
        return all.Count == 0 ? null : string.Join("; ", all);
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-weight.yaml");
}
