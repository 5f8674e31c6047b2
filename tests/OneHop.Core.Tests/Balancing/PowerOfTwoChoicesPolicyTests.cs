using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

public sealed class PowerOfTwoChoicesPolicyTests
{
    private static readonly string[] Pods = BalancerHarness.Ids(3);

    [Fact]
    public void Is_the_default()
    {
        Assert.Equal(BalancingAlgorithms.PowerOfTwoChoices, BalancingAlgorithms.Default);
        Assert.Equal(BalancingAlgorithms.PowerOfTwoChoices, BackendPolicy.Default.LoadBalancing);
    }

    [Fact]
    public void Of_the_two_candidates_the_less_loaded_wins()
    {
        // Draws (0, 0) → candidates a and b; draws (1, 0) → b and a; draws (2, 1) → c and b.
        var harness = new BalancerHarness(new ScriptedRandom([0, 0, 1, 0, 2, 1]));
        var list = harness.Publish(Pods);
        BalancerHarness.Load(list[0], 5);
        BalancerHarness.Load(list[1], 1);
        var policy = harness.Create(BalancingAlgorithms.PowerOfTwoChoices);

        Assert.Equal(Pods[1], harness.Pick(policy).Id);
        Assert.Equal(Pods[1], harness.Pick(policy).Id);
        Assert.Equal(Pods[2], harness.Pick(policy).Id);
    }

    [Fact]
    public void The_two_candidates_are_always_distinct()
    {
        // With two pods both are always compared, so the loaded one never wins.
        var harness = new BalancerHarness(new SeededRandom(11));
        var list = harness.Publish(Pods[0], Pods[1]);
        BalancerHarness.Load(list[0], 1);

        Assert.Equal(1000, harness.Run(harness.Create(BalancingAlgorithms.PowerOfTwoChoices), 1000)[Pods[1]]);
    }

    [Fact]
    public void Load_is_divided_by_weight()
    {
        // a: (3+1)/4 = 1 beats b: (1+1)/1 = 2.
        var harness = new BalancerHarness(new ScriptedRandom([0, 0]));
        var list = harness.Publish((Pods[0], 4), (Pods[1], 1));
        BalancerHarness.Load(list[0], 3);
        BalancerHarness.Load(list[1], 1);

        Assert.Equal(Pods[0], harness.Pick(harness.Create(BalancingAlgorithms.PowerOfTwoChoices)).Id);
    }

    [Fact]
    public void Under_load_traffic_spreads_evenly()
    {
        var harness = new BalancerHarness(new SeededRandom(2));
        harness.Publish(Pods);

        var counts = harness.Run(harness.Create(BalancingAlgorithms.PowerOfTwoChoices), 3000, concurrency: 30);

        Assert.All(counts.Values, count => Assert.InRange(count, 950, 1050));
    }
}
