using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

public sealed class NeverQueuePolicyTests
{
    private static readonly string[] Pods = BalancerHarness.Ids(3);

    [Fact]
    public void An_idle_endpoint_wins_even_where_shortest_expected_delay_would_queue()
    {
        // SED: a = (0+1)/1 = 1, b = (1+1)/10 = 0.2, so SED sends the request to b behind another; NQ uses idle a.
        var harness = new BalancerHarness();
        var list = harness.Publish((Pods[0], 1), (Pods[1], 10));
        BalancerHarness.Load(list[1], 1);

        Assert.Equal(Pods[1], harness.Pick(harness.Create(BalancingAlgorithms.ShortestExpectedDelay)).Id);
        Assert.Equal(Pods[0], harness.Pick(harness.Create(BalancingAlgorithms.NeverQueue)).Id);
    }

    [Fact]
    public void Among_idle_endpoints_the_heaviest_wins()
    {
        var harness = new BalancerHarness();
        var list = harness.Publish((Pods[0], 1), (Pods[1], 3), (Pods[2], 5));
        BalancerHarness.Load(list[2], 2);

        Assert.Equal(Pods[1], harness.Pick(harness.Create(BalancingAlgorithms.NeverQueue)).Id);
    }

    [Fact]
    public void With_nobody_idle_it_is_shortest_expected_delay()
    {
        // a: (1+1)/1 = 2, b: (2+1)/3 = 1, c: (3+1)/5 = 0.8.
        var harness = new BalancerHarness();
        var list = harness.Publish((Pods[0], 1), (Pods[1], 3), (Pods[2], 5));
        BalancerHarness.Load(list[0], 1);
        BalancerHarness.Load(list[1], 2);
        BalancerHarness.Load(list[2], 3);

        Assert.Equal(Pods[2], harness.Pick(harness.Create(BalancingAlgorithms.NeverQueue)).Id);
    }
}
