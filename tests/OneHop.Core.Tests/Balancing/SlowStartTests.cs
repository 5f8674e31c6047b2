using Microsoft.AspNetCore.Http;
using OneHop.Core.Balancing;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

/// <summary>Slow start is part of every algorithm: a pod that joins ramps from 10% of its weight to all of it.</summary>
public sealed class SlowStartTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Algorithms() => [.. BalancingAlgorithms.All];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_new_endpoint_grows_from_the_floor_to_its_full_share(string algorithm)
    {
        var harness = new BalancerHarness(new SeededRandom(17), BackendPolicy.Default with { SlowStart = Window, HashKey = HashKey.Parse("path")! });
        foreach (var established in harness.Publish(BalancerHarness.Ids(2)))
        {
            BalancerHarness.Runtime(established);
        }

        harness.Time.Advance(Window * 2);
        var list = harness.Publish([.. BalancerHarness.Ids(2), "10.0.9.9:8080"]);
        BalancerHarness.Runtime(list[2]);
        var policy = harness.Create(algorithm);

        // A pod with factor f beside two at 1 should get f / (2 + f): 4.8% at the floor, 20% half way, then a third
        // (Maglev: f / 3 of the keys, the rest walk on).
        var atFloor = Share(harness, policy, phase: 0);
        harness.Time.Advance(Window / 2);
        var halfWay = Share(harness, policy, phase: 1);
        harness.Time.Advance(Window / 2);
        var full = Share(harness, policy, phase: 2);

        Assert.InRange(atFloor, 0.02, 0.08);
        Assert.InRange(halfWay, 0.14, 0.24);
        Assert.InRange(full, 0.30, 0.37);
    }

    private static double Share(BalancerHarness harness, IEndpointPicker policy, int phase)
    {
        const int Picks = 3000;
        var counts = harness.Run(policy, Picks, concurrency: 30, request: i =>
        {
            var context = new DefaultHttpContext();
            context.Request.Path = $"/phase-{phase}/item-{i}";
            return context;
        });
        return counts["10.0.9.9:8080"] / (double)Picks;
    }
}
