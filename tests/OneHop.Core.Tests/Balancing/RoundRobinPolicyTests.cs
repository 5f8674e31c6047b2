using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

public sealed class RoundRobinPolicyTests
{
    private static readonly string[] Pods = BalancerHarness.Ids(3);

    [Fact]
    public void Each_endpoint_gets_its_turn_in_order()
    {
        var harness = new BalancerHarness();
        var list = harness.Publish(Pods);
        var policy = harness.Create(BalancingAlgorithms.RoundRobin);

        var first = Array.IndexOf(Pods, harness.Pick(policy).Id);
        for (var i = 1; i < 30; i++)
        {
            Assert.Equal(list[(first + i) % 3].Id, harness.Pick(policy).Id);
        }
    }

    [Fact]
    public void Replicas_start_at_different_random_positions_then_cycle_evenly()
    {
        var replicaA = new BalancerHarness(new ScriptedRandom([0]));
        var replicaB = new BalancerHarness(new ScriptedRandom([2]));
        replicaA.Publish(Pods);
        replicaB.Publish(Pods);
        var policyA = replicaA.Create(BalancingAlgorithms.RoundRobin);
        var policyB = replicaB.Create(BalancingAlgorithms.RoundRobin);

        Assert.Equal(Pods[0], replicaA.Pick(policyA).Id);
        Assert.Equal(Pods[2], replicaB.Pick(policyB).Id);
        Assert.All(replicaA.Run(policyA, 300).Values, count => Assert.Equal(100, count));
        Assert.All(replicaB.Run(policyB, 300).Values, count => Assert.Equal(100, count));
    }

    [Fact]
    public void A_new_destination_list_draws_a_new_start()
    {
        var harness = new BalancerHarness(new ScriptedRandom([1, 0]));
        var policy = harness.Create(BalancingAlgorithms.RoundRobin);

        harness.Publish(Pods);
        Assert.Equal(Pods[1], harness.Pick(policy).Id);
        Assert.Equal(Pods[2], harness.Pick(policy).Id);

        // Same pods, new snapshot: the rotation restarts where the replica's randomness says.
        harness.Publish(Pods);
        Assert.Equal(Pods[0], harness.Pick(policy).Id);
    }

    [Fact]
    public void No_endpoints_means_no_pick()
    {
        var harness = new BalancerHarness();
        harness.Publish(Array.Empty<string>());
        Assert.Null(harness.Create(BalancingAlgorithms.RoundRobin).Pick(harness.Backend, harness.Current, new OneHop.Core.Proxy.Http.ProxyRequest(new Microsoft.AspNetCore.Http.DefaultHttpContext())));
    }
}
