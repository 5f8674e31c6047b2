using OneHop.Core.Balancing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Balancing;

public sealed class PeakEwmaPolicyTests
{
    private static readonly string[] Pods = BalancerHarness.Ids(3);

    [Fact]
    public void A_slow_endpoint_loses_its_share_and_wins_it_back_after_the_decay_once_fast_again()
    {
        var harness = new BalancerHarness(new SeededRandom(4));
        harness.Publish(Pods);
        var policy = harness.Create(BalancingAlgorithms.PeakEwma);
        var slow = true;
        double Latency(string pod) => pod == Pods[0] && slow ? 0.5 : 0.01;

        Simulate(harness, policy, 1000, Latency);
        var degraded = Simulate(harness, policy, 1000, Latency);
        Assert.InRange(degraded[Pods[0]], 0, 80);
        Assert.InRange(degraded[Pods[1]], 400, 600);

        slow = false;
        harness.Time.Advance(harness.Policy.EwmaDecay * 6);
        Simulate(harness, policy, 300, Latency);
        var recovered = Simulate(harness, policy, 900, Latency);
        Assert.All(recovered.Values, count => Assert.InRange(count, 240, 360));
    }

    [Fact]
    public void With_one_slow_and_one_failing_pod_among_five_neither_gets_the_worst_pairs_share()
    {
        // P2C would hand the pair {slow, failing} a tenth of the picks, all going to the slow pod.
        var harness = new BalancerHarness(new SeededRandom(7));
        var pods = BalancerHarness.Ids(5);
        harness.Publish(pods);
        var policy = harness.Create(BalancingAlgorithms.PeakEwma);
        var responses = 0;
        double Latency(string pod) =>
            pod == pods[3] ? 0.020
            : pod == pods[4] && ++responses % 20 == 0 ? ProxyHandler.FailurePenalty.TotalSeconds
            : 0.002;

        Simulate(harness, policy, 500, Latency);
        var counts = Simulate(harness, policy, 2000, Latency);

        Assert.InRange(counts[pods[3]] + counts[pods[4]], 0, 20);
        Assert.All(pods.Take(3), pod => Assert.InRange(counts[pod], 550, 780));
    }

    [Fact]
    public void Above_the_full_scan_limit_two_random_pods_are_compared()
    {
        var harness = new BalancerHarness(new ScriptedRandom([0, 0]));
        var list = harness.Publish(BalancerHarness.Ids(PeakEwmaPicker.FullScanLimit + 1));
        foreach (var destination in list.Take(PeakEwmaPicker.FullScanLimit))
        {
            BalancerHarness.Load(destination, 1);
        }

        // The idle last pod is the cheapest, but only pods 0 and 1 were drawn; one pod fewer and it is found.
        var policy = harness.Create(BalancingAlgorithms.PeakEwma);
        Assert.Contains(harness.Pick(policy).Id, new[] { list[0].Id, list[1].Id });
        Assert.Equal(list[^1].Id, harness.Pick(policy, destinations: [.. list.Skip(1)]).Id);
    }

    [Fact]
    public void A_new_endpoint_is_priced_at_its_peers_mean_neither_free_nor_shunned()
    {
        var harness = new BalancerHarness(new ScriptedRandom([0]));
        var list = harness.Publish(BalancerHarness.Ids(3));
        BalancerHarness.Runtime(list[0]).ObserveLatency(0.010, harness.Policy.EwmaDecay);
        BalancerHarness.Runtime(list[1]).ObserveLatency(0.030, harness.Policy.EwmaDecay);
        var policy = harness.Create(BalancingAlgorithms.PeakEwma);

        // Costs 10, 30 and 20 (the mean) ms: the new pod does not beat the idle fast one...
        Assert.Equal(list[0].Id, harness.Pick(policy).Id);

        // ...but beats it once it has two requests in flight (30 ms).
        BalancerHarness.Load(list[0], 2);
        Assert.Equal(list[2].Id, harness.Pick(policy).Id);
    }

    [Fact]
    public void When_no_endpoint_has_answered_yet_they_share_evenly()
    {
        var harness = new BalancerHarness(new SeededRandom(9));
        var pods = BalancerHarness.Ids(4);
        harness.Publish(pods);
        var counts = harness.Run(harness.Create(BalancingAlgorithms.PeakEwma), 4000);
        Assert.All(counts.Values, count => Assert.InRange(count, 850, 1150));
    }

    [Fact]
    public void At_equal_latency_the_less_loaded_endpoint_wins()
    {
        var harness = new BalancerHarness(new ScriptedRandom([0, 0]));
        var list = harness.Publish(Pods[0], Pods[1]);
        BalancerHarness.Load(list[0], 2);

        Assert.Equal(Pods[1], harness.Pick(harness.Create(BalancingAlgorithms.PeakEwma)).Id);
    }

    /// <summary>
    /// Ten requests in flight, one started every 10 ms; the oldest finishes as each new one starts and its pod's
    /// latency is observed, as the data plane does after each response.
    /// </summary>
    private static Dictionary<string, int> Simulate(BalancerHarness harness, IEndpointPicker policy, int picks, Func<string, double> latency)
    {
        var counts = harness.Current.ToDictionary(d => d.Id, _ => 0, StringComparer.Ordinal);
        var inFlight = new Queue<EndpointRuntime>();
        for (var i = 0; i < picks; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(10));
            var runtime = BalancerHarness.Runtime(harness.Pick(policy));
            counts[runtime.Id]++;
            runtime.RequestStarted();
            inFlight.Enqueue(runtime);
            if (inFlight.Count > 10)
            {
                Finish(inFlight.Dequeue());
            }
        }

        while (inFlight.Count > 0)
        {
            Finish(inFlight.Dequeue());
        }

        return counts;

        void Finish(EndpointRuntime runtime)
        {
            runtime.RequestEnded();
            runtime.ObserveLatency(latency(runtime.Id), harness.Policy.EwmaDecay);
        }
    }
}
