using System.Collections.Immutable;
using OneHop.Core.Health;

namespace OneHop.Core.Tests.Health;

public sealed class ZonePreferenceTests
{
    private static string[] Pick(string[] healthy, string[] ready, string zone = "a", double? share = null, Dictionary<string, string[]>? hints = null) =>
        [.. ZonePreference.Select(
            healthy,
            ready,
            zone,
            share,
            e => e.Split('-')[0],
            e => hints?.TryGetValue(e, out var h) == true ? [.. h] : ImmutableArray<string>.Empty)];

    [Fact]
    public void Stays_in_its_zone_while_the_zone_has_its_share_of_healthy_endpoints()
    {
        string[] all = ["a-1", "a-2", "b-1", "b-2", "c-1", "c-2"];
        Assert.Equal(["a-1", "a-2"], Pick(all, all));
    }

    [Fact]
    public void Spills_over_when_local_endpoints_are_unhealthy()
    {
        string[] ready = ["a-1", "a-2", "b-1", "b-2", "c-1", "c-2"];
        string[] healthy = ["a-1", "b-1", "b-2", "c-1", "c-2"];
        Assert.Equal(healthy, Pick(healthy, ready));
    }

    [Fact]
    public void Spills_over_when_the_zone_has_too_few_endpoints_for_its_share()
    {
        string[] all = ["a-1", "b-1", "b-2", "b-3", "c-1", "c-2", "c-3"];
        Assert.Equal(all, Pick(all, all));
    }

    [Fact]
    public void A_configured_traffic_share_replaces_the_even_spread()
    {
        string[] all = ["a-1", "a-2", "b-1", "b-2", "c-1", "c-2"];
        Assert.Equal(all, Pick(all, all, share: 0.5));
        Assert.Equal(["a-1", "a-2"], Pick(all, all, share: 0.2));
    }

    [Fact]
    public void No_local_endpoint_or_a_single_zone_means_no_preference()
    {
        string[] others = ["b-1", "c-1"];
        Assert.Equal(others, Pick(others, others));
        string[] one = ["a-1", "a-2"];
        Assert.Equal(one, Pick(one, one, zone: "b"));
    }

    [Fact]
    public void Hints_decide_when_every_endpoint_has_them()
    {
        string[] all = ["a-1", "b-1", "b-2"];
        var hints = new Dictionary<string, string[]> { ["a-1"] = ["a"], ["b-1"] = ["b", "a"], ["b-2"] = ["b"] };
        Assert.Equal(["a-1", "b-1"], Pick(all, all, hints: hints));
    }

    [Fact]
    public void Hints_are_ignored_unless_every_endpoint_has_them_and_unused_when_none_is_healthy()
    {
        string[] all = ["a-1", "b-1", "b-2"];
        Assert.Equal(all, Pick(all, all, hints: new Dictionary<string, string[]> { ["a-1"] = ["a"] }));
        var hints = new Dictionary<string, string[]> { ["a-1"] = ["a"], ["b-1"] = ["b"], ["b-2"] = ["b"] };
        Assert.Equal(["b-1", "b-2"], Pick(["b-1", "b-2"], all, hints: hints));
    }
}
