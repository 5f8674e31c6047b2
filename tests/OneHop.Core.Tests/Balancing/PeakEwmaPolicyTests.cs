using OneHop.Core.Balancing;
using OneHop.Core.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace OneHop.Core.Tests.Balancing;

public sealed class PeakEwmaPolicyTests
{
    private static readonly string[] Pods = BalancerHarness.Ids(3);
    private static readonly double Initial = PeakEwmaDefaults.InitialLatency.TotalSeconds;

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
    public void A_new_endpoint_starts_at_the_default_rtt_not_free()
    {
        var harness = new BalancerHarness(new SeededRandom(9));
        var pods = BalancerHarness.Ids(4);
        var list = harness.Publish(pods);
        var policy = (PeakEwmaPolicy)harness.Create(BalancingAlgorithms.PeakEwma);
        foreach (var established in list.Take(3))
        {
            harness.Runtime(established).ObserveLatency(Initial, harness.Policy.EwmaDecay, Initial);
        }

        Assert.Equal(Initial, policy.Cost(list[3], TimeSpan.Zero, harness.Policy.EwmaDecay));

        // A pod that looked free would win every pair it is in: half the picks. At the default RTT it gets its quarter.
        var counts = harness.Run(policy, 4000);
        Assert.InRange(counts[pods[3]], 850, 1150);
    }

    [Fact]
    public void At_equal_latency_the_less_loaded_endpoint_wins()
    {
        var harness = new BalancerHarness(new ScriptedRandom([0, 0]));
        var list = harness.Publish(Pods[0], Pods[1]);
        harness.Load(list[0], 2);

        Assert.Equal(Pods[1], harness.Pick(harness.Create(BalancingAlgorithms.PeakEwma)).DestinationId);
    }

    /// <summary>
    /// Ten requests in flight, one started every 10 ms; the oldest finishes as each new one starts and its pod's
    /// latency is observed, as the data plane does after each response.
    /// </summary>
    private static Dictionary<string, int> Simulate(BalancerHarness harness, ILoadBalancingPolicy policy, int picks, Func<string, double> latency)
    {
        var counts = harness.Current.ToDictionary(d => d.DestinationId, _ => 0, StringComparer.Ordinal);
        var inFlight = new Queue<EndpointRuntime>();
        for (var i = 0; i < picks; i++)
        {
            harness.Time.Advance(TimeSpan.FromMilliseconds(10));
            var runtime = harness.Runtime(harness.Pick(policy));
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
            runtime.ObserveLatency(latency(runtime.Id), harness.Policy.EwmaDecay, Initial);
        }
    }
}
