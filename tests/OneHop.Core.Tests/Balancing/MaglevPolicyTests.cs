using System.Net;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Balancing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Tests.Balancing;

public sealed class MaglevPolicyTests
{
    private const int Keys = 100_000;
    private static readonly BackendPolicy ByUser = BackendPolicy.Default with { LoadBalancing = BalancingAlgorithms.Maglev, HashKey = HashKey.Parse("header:x-user")! };

    [Fact]
    public void Keys_spread_evenly_and_the_same_key_always_lands_on_the_same_endpoint()
    {
        var harness = new BalancerHarness(policy: ByUser);
        harness.Publish(BalancerHarness.Ids(10));
        var policy = harness.Create(BalancingAlgorithms.Maglev);

        var first = Map(harness, policy);
        var again = Map(harness, policy);

        Assert.Equal(first, again);
        Assert.All(first.CountBy(id => id), pod => Assert.InRange(pod.Value, 9_500, 10_500));
    }

    [Fact]
    public void Removing_one_of_ten_endpoints_moves_about_a_tenth_of_the_keys()
    {
        var harness = new BalancerHarness(policy: ByUser);
        var ids = BalancerHarness.Ids(10);
        harness.Publish(ids);
        var policy = harness.Create(BalancingAlgorithms.Maglev);
        var before = Map(harness, policy);

        harness.Publish([.. ids.Where(id => id != ids[3])]);
        var after = Map(harness, policy);

        var moved = Enumerable.Range(0, Keys).Count(i => before[i] != after[i]);
        Assert.InRange(moved, before.Count(id => id == ids[3]), (Keys / 10) + (Keys / 100));
    }

    [Fact]
    public void Adding_an_eleventh_endpoint_moves_about_an_eleventh_of_the_keys()
    {
        var harness = new BalancerHarness(policy: ByUser);
        var ids = BalancerHarness.Ids(11);
        harness.Publish(ids[..10]);
        var policy = harness.Create(BalancingAlgorithms.Maglev);
        var before = Map(harness, policy);

        harness.Publish(ids);
        var after = Map(harness, policy);

        var moved = Enumerable.Range(0, Keys).Count(i => before[i] != after[i]);
        Assert.InRange(moved, after.Count(id => id == ids[10]), (Keys / 11) + (Keys / 100));
    }

    [Fact]
    public void Two_replicas_built_independently_map_every_key_identically()
    {
        var ids = BalancerHarness.Ids(10);
        var replicaA = new BalancerHarness(new SeededRandom(1), ByUser);
        var replicaB = new BalancerHarness(new SeededRandom(2), ByUser);
        replicaA.Publish(ids);
        var shuffle = new Random(3);
        replicaB.Publish([.. ids.Reverse().OrderBy(_ => shuffle.Next())]);

        Assert.Equal(Map(replicaA, replicaA.Create(BalancingAlgorithms.Maglev)), Map(replicaB, replicaB.Create(BalancingAlgorithms.Maglev)));
    }

    [Fact]
    public void Weights_shape_the_table()
    {
        var harness = new BalancerHarness(policy: ByUser);
        var ids = BalancerHarness.Ids(2);
        harness.Publish((ids[0], 3), (ids[1], 1));

        var share = Map(harness, harness.Create(BalancingAlgorithms.Maglev)).Count(id => id == ids[0]) / (double)Keys;

        Assert.InRange(share, 0.73, 0.77);
    }

    [Fact]
    public void A_hot_key_stays_home_until_the_bound_then_spills_to_the_next_endpoint_in_the_table()
    {
        var ids = BalancerHarness.Ids(4);
        var bounded = ByUser with { BoundedLoad = 1.25 };
        var replicaA = new BalancerHarness(policy: bounded);
        var replicaB = new BalancerHarness(policy: bounded);
        var listA = replicaA.Publish(ids);
        var listB = replicaB.Publish(ids);
        var policyA = replicaA.Create(BalancingAlgorithms.Maglev);
        var policyB = replicaB.Create(BalancingAlgorithms.Maglev);
        var hot = BalancerHarness.WithHeader("x-user", "hot");
        foreach (var (a, b) in listA.Zip(listB))
        {
            BalancerHarness.Load(a, 2);
            BalancerHarness.Load(b, 2);
        }

        // Each pick stays in flight. Bound = ⌈1.25 × (total + 1) / 4⌉: 3 at total 8, 4 at 9, 4 at 10, 4 at 11, 5 at 12.
        var picks = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var pick = replicaA.Pick(policyA, hot);
            Assert.Equal(pick.Id, replicaB.Pick(policyB, hot).Id);
            picks.Add(pick.Id);
            BalancerHarness.Load(pick, 1);
            BalancerHarness.Load(listB.Single(d => d.Id == pick.Id), 1);
        }

        var home = picks[0];
        Assert.Equal([home, home], picks[..2]);
        Assert.NotEqual(home, picks[2]);
        Assert.Equal([picks[2], home], picks[3..]);
    }

    [Fact]
    public void Without_a_bound_a_hot_key_stays_home_however_loaded()
    {
        var harness = new BalancerHarness(policy: ByUser);
        harness.Publish(BalancerHarness.Ids(4));
        var policy = harness.Create(BalancingAlgorithms.Maglev);
        var hot = BalancerHarness.WithHeader("x-user", "hot");
        var home = harness.Pick(policy, hot);

        BalancerHarness.Load(home, 100);

        Assert.Same(home, harness.Pick(policy, hot));
    }

    [Fact]
    public void A_request_without_the_key_falls_back_to_p2c()
    {
        var harness = new BalancerHarness(policy: ByUser);
        var list = harness.Publish(BalancerHarness.Ids(2));
        var policy = harness.Create(BalancingAlgorithms.Maglev);
        BalancerHarness.Load(list[0], 1);

        // With two pods, p2c compares both every time and takes the idle one.
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Same(list[1], harness.Pick(policy, new DefaultHttpContext())));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Same(list[1], harness.Pick(policy, BalancerHarness.WithHeader("x-user", string.Empty))));
    }

    [Fact]
    public void Client_addresses_hash_the_same_over_IPv4_and_dual_stack_sockets()
    {
        var harness = new BalancerHarness(policy: BackendPolicy.Default with { HashKey = HashKey.ClientIp });
        harness.Publish(BalancerHarness.Ids(10));
        var policy = harness.Create(BalancingAlgorithms.Maglev);

        for (var i = 1; i < 50; i++)
        {
            var v4 = harness.Pick(policy, From(IPAddress.Parse($"192.0.2.{i}")));
            Assert.Same(v4, harness.Pick(policy, From(IPAddress.Parse($"::ffff:192.0.2.{i}"))));
            Assert.Same(v4, harness.Pick(policy, From(IPAddress.Parse($"192.0.2.{i}"))));
        }

        static HttpContext From(IPAddress address)
        {
            var context = new DefaultHttpContext();
            context.Connection.RemoteIpAddress = address;
            return context;
        }
    }

    [Theory]
    [InlineData("cookie:session")]
    [InlineData("path")]
    public void Cookie_and_path_keys_pin_requests(string key)
    {
        var harness = new BalancerHarness(policy: BackendPolicy.Default with { HashKey = HashKey.Parse(key)! });
        harness.Publish(BalancerHarness.Ids(10));
        var policy = harness.Create(BalancingAlgorithms.Maglev);

        var pods = Enumerable.Range(0, 200).Select(i => harness.Pick(policy, Request(i)).Id).ToArray();

        Assert.Equal(pods, Enumerable.Range(0, 200).Select(i => harness.Pick(policy, Request(i)).Id));
        Assert.Equal(10, pods.Distinct().Count());

        static HttpContext Request(int i)
        {
            var context = new DefaultHttpContext();
            context.Request.Path = $"/items/{i}";
            context.Request.Headers.Cookie = $"session=s{i}";
            return context;
        }
    }

    [Fact]
    public void A_retry_goes_to_the_keys_next_endpoint_on_every_replica_and_other_keys_stay_put()
    {
        var ids = BalancerHarness.Ids(10);
        var replicaA = new BalancerHarness(new SeededRandom(1), ByUser);
        var replicaB = new BalancerHarness(new SeededRandom(2), ByUser);
        replicaA.Publish(ids);
        replicaB.Publish(ids);
        var policyA = replicaA.Create(BalancingAlgorithms.Maglev);
        var policyB = replicaB.Create(BalancingAlgorithms.Maglev);
        var before = Map(replicaA, policyA);
        var tried = before[0];

        // The retry step hands the balancer the cluster's list without the pod that failed.
        IReadOnlyList<Destination> Without(BalancerHarness h) => [.. h.Current.Where(d => d.Id != tried)];
        var retryA = Without(replicaA);
        var retryB = Without(replicaB);
        var context = BalancerHarness.WithHeader("x-user", "user-0");
        var next = replicaA.Pick(policyA, context, retryA).Id;

        Assert.NotEqual(tried, next);
        Assert.Equal(next, replicaB.Pick(policyB, context, retryB).Id);
        var after = Map(replicaA, policyA, retryA, 2_000);
        Assert.All(Enumerable.Range(0, 2_000).Where(i => before[i] != tried), i => Assert.Equal(before[i], after[i]));
    }

    private static string[] Map(BalancerHarness harness, IEndpointPicker policy, IReadOnlyList<Destination>? destinations = null, int keys = Keys)
    {
        var context = new DefaultHttpContext();
        var result = new string[keys];
        for (var i = 0; i < keys; i++)
        {
            context.Request.Headers["x-user"] = $"user-{i}";
            result[i] = harness.Pick(policy, context, destinations).Id;
        }

        return result;
    }
}
