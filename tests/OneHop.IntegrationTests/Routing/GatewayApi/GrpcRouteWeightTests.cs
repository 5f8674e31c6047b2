using System.Collections.Concurrent;
using Grpc.Core;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.GrpcConformanceGateway;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// GRPCRouteWeight (conformance/tests/grpcroute-weight.go): backends of weights 70, 30 and 0 get those shares of 500
/// gRPC calls, 10 at a time, within 5 points, as weight.TestWeightedDistribution measures; like the suite, a sample
/// outside that is drawn again, up to 10 times.
/// </summary>
public sealed class GrpcRouteWeightTests(GrpcRouteWeightTests.Gateway gateway) : IClassFixture<GrpcRouteWeightTests.Gateway>
{
    private const int Calls = 500;
    private const double Tolerance = 0.05;
    private const int Samples = 10;

    private static readonly Dictionary<string, double> Weights = new() { [V1] = 0.7, [V2] = 0.3, [V3] = 0.0 };

    [Fact]
    public void The_route_is_accepted_with_its_backends_resolved() => gateway.RoutesAccepted("same-namespace", "weighted-backends");

    [Fact]
    public async Task Calls_are_shared_by_weight()
    {
        // As the suite: one call must succeed before the distribution is measured.
        Assert.Contains(await FirstAsync(), Weights.Keys);
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

    /// <summary>The backend the first successful call reached.</summary>
    private async Task<string> FirstAsync()
    {
        var (code, response) = await gateway.CallAsync();
        Assert.True(code == StatusCode.OK, $"Echo: expected OK, got {code}");
        return Backend(response!.Pod);
    }

    private async Task<IReadOnlyDictionary<string, int>> SampleAsync(CancellationToken cancellationToken)
    {
        var seen = new ConcurrentDictionary<string, int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Calls), new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = cancellationToken }, async (_, _) =>
        {
            var (code, response) = await gateway.CallAsync();
            Assert.True(code == StatusCode.OK, $"Echo: expected OK, got {code}");
            seen.AddOrUpdate(Backend(response!.Pod), 1, (_, n) => n + 1);
        });
        return seen;
    }

    /// <summary>The Service of a pod named <c>SERVICE-0</c>.</summary>
    private static string Backend(string pod) => pod[..pod.LastIndexOf('-')];

    /// <summary>Why the sample is off: a backend of weight 0 reached, or a share outside the tolerance; null when it is not.</summary>
    private static string? Compare(IReadOnlyDictionary<string, int> seen)
    {
        var problems = Weights
            .Select(w => (Backend: w.Key, Want: w.Value, Got: (double)seen.GetValueOrDefault(w.Key) / Calls))
            .Where(w => Math.Abs(w.Got - w.Want) > Tolerance || (w.Want == 0 && w.Got > 0))
            .Select(w => $"{w.Backend}: {w.Got:P1} of calls, want {w.Want:P0}");
        var unexpected = seen.Keys.Except(Weights.Keys).Select(b => $"{b} got calls");
        var all = problems.Concat(unexpected).ToList();
        return all.Count == 0 ? null : string.Join("; ", all);
    }

    public sealed class Gateway(EchoBackends backends) : GrpcConformanceGateway(backends, "grpcroute-weight.yaml");
}
