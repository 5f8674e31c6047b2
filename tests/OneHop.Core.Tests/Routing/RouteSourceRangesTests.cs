using System.Net;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

/// <summary>Networks read as ingress-nginx reads them (Go's ParseCIDR and ParseIP), nginx's deny-then-allow order, and what satisfy any skips.</summary>
public sealed class RouteSourceRangesTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("172.10.0.1", "172.10.0.1/32")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    [InlineData("::1", "::1/128")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void A_network_or_address_is_read_with_its_host_bits_dropped(string text, string network) =>
        Assert.Equal(IPNetwork.Parse(network), RouteSourceRanges.Network(text));

    [Theory]
    [InlineData("10")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("fe80::1%eth0")]
    [InlineData("example.com")]
    [InlineData("")]
    public void Anything_else_is_no_network(string text) => Assert.Null(RouteSourceRanges.Network(text));

    [Theory]
    [InlineData("10.0.0.7", true)]
    [InlineData("10.0.1.7", false)] // denied before the allow list is read
    [InlineData("10.9.9.9", true)]
    [InlineData("::ffff:10.9.9.9", true)] // a dual-stack socket's IPv4 client
    [InlineData("::ffff:10.0.1.7", false)]
    [InlineData("192.168.0.1", false)] // outside the allow list
    [InlineData("2001:db8::5", true)]
    public void Deny_wins_then_only_the_allow_list_passes(string client, bool permitted)
    {
        var ranges = new RouteSourceRanges(["10.0.0.0/8", "2001:db8::/32"], ["10.0.1.0/24"]);
        Assert.Equal(permitted, ranges.Permits(IPAddress.Parse(client)));
    }

    [Fact]
    public void A_deny_list_alone_lets_every_other_address_through()
    {
        var ranges = new RouteSourceRanges([], ["127.0.0.1"]);
        Assert.False(ranges.Permits(IPAddress.Loopback));
        Assert.True(ranges.Permits(IPAddress.Parse("127.0.0.2")));
        Assert.True(ranges.Permits(null)); // no address (a Unix socket): only an allow list can refuse it
        Assert.False(new RouteSourceRanges(["127.0.0.1"], []).Permits(null));
    }

    [Fact]
    public void Only_an_allow_entry_lets_satisfy_any_skip_authentication()
    {
        // nginx's access module answers OK only to an allow line that matches; an address no line names is not refused,
        // but with satisfy any it must still authenticate.
        var ranges = new RouteSourceRanges(["10.0.0.0/8"], ["10.0.1.0/24"]) { OrAuthenticated = true };
        Assert.True(ranges.AllowsByEntry(IPAddress.Parse("10.9.9.9")));
        Assert.False(ranges.AllowsByEntry(IPAddress.Parse("10.0.1.7"))); // denied first
        Assert.False(ranges.AllowsByEntry(IPAddress.Parse("192.168.0.1")));
        Assert.False(new RouteSourceRanges([], ["10.0.1.0/24"]).AllowsByEntry(IPAddress.Parse("192.168.0.1")));
        Assert.NotEqual(ranges, ranges with { OrAuthenticated = false });
    }
}
