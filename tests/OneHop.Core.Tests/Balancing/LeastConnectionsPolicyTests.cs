using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

public sealed class LeastConnectionsPolicyTests
{
    private static readonly string[] Pods = BalancerHarness.Ids(3);

    [Fact]
    public void Picks_the_endpoint_with_the_fewest_requests_in_flight()
    {
        var harness = new BalancerHarness();
        var list = harness.Publish(Pods);
        BalancerHarness.Load(list[0], 3);
        BalancerHarness.Load(list[1], 1);
        BalancerHarness.Load(list[2], 2);

        Assert.Equal(Pods[1], harness.Pick(harness.Create(BalancingAlgorithms.LeastConnections)).Id);
    }

    [Theory]
    [InlineData(4, 4, 2, 1, 0)] // 4/4 = 1 beats 2/1 = 2
    [InlineData(9, 4, 2, 1, 1)] // 9/4 = 2.25 loses to 2
    [InlineData(0, 1, 0, 10, 1)] // idle tie: 0 = 0, broken toward weight (scripted draw 0.5 < 10/11)
    public void In_flight_counts_are_divided_by_weight(int inFlightA, int weightA, int inFlightB, int weightB, int expected)
    {
        var harness = new BalancerHarness(new ScriptedRandom([0], [0.5]));
        var list = harness.Publish((Pods[0], weightA), (Pods[1], weightB));
        BalancerHarness.Load(list[0], inFlightA);
        BalancerHarness.Load(list[1], inFlightB);

        Assert.Equal(Pods[expected], harness.Pick(harness.Create(BalancingAlgorithms.LeastConnections)).Id);
    }

    [Fact]
    public void Ties_are_broken_at_random_in_proportion_to_weight()
    {
        var harness = new BalancerHarness(new SeededRandom(3));
        harness.Publish((Pods[0], 2), (Pods[1], 1), (Pods[2], 1));

        // Nothing stays in flight, so every pick is a three-way tie at zero.
        var counts = harness.Run(harness.Create(BalancingAlgorithms.LeastConnections), 4000);

        Assert.InRange(counts[Pods[0]], 1850, 2150);
        Assert.InRange(counts[Pods[1]], 900, 1100);
        Assert.InRange(counts[Pods[2]], 900, 1100);
    }

    [Fact]
    public void Under_load_in_flight_requests_follow_the_weights()
    {
        var harness = new BalancerHarness();
        harness.Publish((Pods[0], 2), (Pods[1], 1), (Pods[2], 1));

        var counts = harness.Run(harness.Create(BalancingAlgorithms.LeastConnections), 4000, concurrency: 40);

        Assert.InRange(counts[Pods[0]], 1900, 2100);
    }
}
