using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

public sealed class ShortestExpectedDelayPolicyTests
{
    private static readonly string[] Pods = BalancerHarness.Ids(3);

    [Theory]
    [InlineData(0, 1, 1, 3, 1)] // (0+1)/1 = 1 vs (1+1)/3 = 0.67: the busy heavy pod beats the idle light one
    [InlineData(0, 1, 3, 3, 0)] // 1 vs (3+1)/3 = 1.33
    [InlineData(2, 2, 4, 5, 1)] // 3/2 = 1.5 vs 5/5 = 1
    [InlineData(5, 10, 0, 1, 0)] // 6/10 = 0.6 vs 1/1 = 1
    public void Picks_the_lowest_in_flight_plus_one_over_weight(int inFlightA, int weightA, int inFlightB, int weightB, int expected)
    {
        var harness = new BalancerHarness();
        var list = harness.Publish((Pods[0], weightA), (Pods[1], weightB));
        BalancerHarness.Load(list[0], inFlightA);
        BalancerHarness.Load(list[1], inFlightB);

        Assert.Equal(Pods[expected], harness.Pick(harness.Create(BalancingAlgorithms.ShortestExpectedDelay)).Id);
    }

    [Fact]
    public void Three_endpoints_by_hand()
    {
        // a: (0+1)/1 = 1, b: (2+1)/2 = 1.5, c: (2+1)/4 = 0.75.
        var harness = new BalancerHarness();
        var list = harness.Publish((Pods[0], 1), (Pods[1], 2), (Pods[2], 4));
        BalancerHarness.Load(list[1], 2);
        BalancerHarness.Load(list[2], 2);

        Assert.Equal(Pods[2], harness.Pick(harness.Create(BalancingAlgorithms.ShortestExpectedDelay)).Id);
    }
}
