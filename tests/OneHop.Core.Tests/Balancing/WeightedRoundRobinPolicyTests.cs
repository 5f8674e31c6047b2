using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

public sealed class WeightedRoundRobinPolicyTests
{
    private static readonly string[] Pods = BalancerHarness.Ids(3);

    [Fact]
    public void Weights_5_1_1_give_exactly_500_100_100_in_700_picks()
    {
        var harness = new BalancerHarness(new SeededRandom(7));
        harness.Publish((Pods[0], 5), (Pods[1], 1), (Pods[2], 1));

        var counts = harness.Run(harness.Create(BalancingAlgorithms.WeightedRoundRobin), 700);

        Assert.Equal([500, 100, 100], Pods.Select(p => counts[p]));
    }

    [Fact]
    public void The_sequence_is_smooth_not_bursty()
    {
        // Warm-up of 0 picks: nginx's sequence for 5:1:1 is a a b a c a a.
        var harness = new BalancerHarness(new ScriptedRandom([0]));
        harness.Publish((Pods[0], 5), (Pods[1], 1), (Pods[2], 1));
        var policy = harness.Create(BalancingAlgorithms.WeightedRoundRobin);

        var sequence = string.Concat(Enumerable.Range(0, 14).Select(_ => "abc"[Array.IndexOf(Pods, harness.Pick(policy).Id)]));

        Assert.Equal("aabacaaaabacaa", sequence);
    }

    [Fact]
    public void Replicas_start_at_different_points_of_the_sequence()
    {
        var replicaA = new BalancerHarness(new ScriptedRandom([0]));
        var replicaB = new BalancerHarness(new ScriptedRandom([4]));
        replicaA.Publish((Pods[0], 5), (Pods[1], 1), (Pods[2], 1));
        replicaB.Publish((Pods[0], 5), (Pods[1], 1), (Pods[2], 1));
        var policyA = replicaA.Create(BalancingAlgorithms.WeightedRoundRobin);
        var policyB = replicaB.Create(BalancingAlgorithms.WeightedRoundRobin);

        Assert.Equal(Pods[0], replicaA.Pick(policyA).Id);
        Assert.Equal(Pods[2], replicaB.Pick(policyB).Id);
    }

    [Fact]
    public void Equal_weights_take_turns()
    {
        var harness = new BalancerHarness();
        harness.Publish(Pods);

        Assert.All(harness.Run(harness.Create(BalancingAlgorithms.WeightedRoundRobin), 300).Values, count => Assert.Equal(100, count));
    }
}
