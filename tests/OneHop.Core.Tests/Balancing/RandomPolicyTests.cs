using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

public sealed class RandomPolicyTests
{
    [Fact]
    public void Picks_are_roughly_uniform()
    {
        var harness = new BalancerHarness(new SeededRandom(1));
        harness.Publish(BalancerHarness.Ids(4));

        var counts = harness.Run(harness.Create(BalancingAlgorithms.Random), 8000);

        Assert.All(counts.Values, count => Assert.InRange(count, 1850, 2150));
    }

    [Fact]
    public void The_same_seed_gives_the_same_picks()
    {
        var first = new BalancerHarness(new SeededRandom(5));
        var second = new BalancerHarness(new SeededRandom(5));
        first.Publish(BalancerHarness.Ids(5));
        second.Publish(BalancerHarness.Ids(5));
        var policyA = first.Create(BalancingAlgorithms.Random);
        var policyB = second.Create(BalancingAlgorithms.Random);

        Assert.Equal(
            Enumerable.Range(0, 50).Select(_ => first.Pick(policyA).Id),
            Enumerable.Range(0, 50).Select(_ => second.Pick(policyB).Id));
    }
}
