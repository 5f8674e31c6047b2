using System.Net;
using Microsoft.Extensions.Primitives;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>
/// The client address a trusted proxy's header names, as nginx's realip module with real_ip_recursive on reads it:
/// from the right, skipping trusted hops; anything OneHop cannot read whole leaves the connection's address.
/// </summary>
public sealed class ForwardedClientAddressTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("10.0.0.5");

    private static readonly TrustedProxiesConfig Trusted = new([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8:ffff::/48")]);

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")] // one proxy in front
    [InlineData("203.0.113.7, 10.1.2.3", "203.0.113.7")] // a trusted hop between is skipped
    [InlineData("198.51.100.1, 203.0.113.7, 10.1.2.3", "203.0.113.7")] // a spoofed address left of the client is never reached
    [InlineData("10.9.9.9, 10.1.2.3", "10.9.9.9")] // every hop trusted: the leftmost, as nginx
    [InlineData("203.0.113.7:4711", "203.0.113.7")] // a port, as nginx takes it
    [InlineData("2001:db8::7", "2001:db8::7")]
    [InlineData("[2001:db8::7]", "2001:db8::7")]
    [InlineData("[2001:db8::7]:4711, 2001:db8:ffff::1", "2001:db8::7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")] // IPv4 written as IPv6 is that IPv4 address
    [InlineData(" 203.0.113.7 ,\t10.1.2.3 , ", "203.0.113.7")] // spaces, tabs and an empty element are separators
    public void The_client_is_the_rightmost_address_that_is_not_a_trusted_proxy(string header, string client)
    {
        Assert.Equal(IPAddress.Parse(client), ForwardedClientAddress.Resolve(Peer, header, Trusted));
    }

    [Fact]
    public void Several_header_lines_read_as_one_list_in_order()
    {
        var header = new StringValues(["198.51.100.1, 203.0.113.7", "10.1.2.3"]);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), ForwardedClientAddress.Resolve(Peer, header, Trusted));
    }

    [Fact]
    public void Without_recursion_the_rightmost_address_is_the_client_even_a_trusted_one()
    {
        var config = Trusted with { Recursive = false };
        Assert.Equal(IPAddress.Parse("10.1.2.3"), ForwardedClientAddress.Resolve(Peer, "203.0.113.7, 10.1.2.3", config));
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown")] // RFC 7239's obfuscated nodes and X-Forwarded-For's "unknown" name no address
    [InlineData("203.0.113.7, unknown")]
    [InlineData("client.example.com")]
    [InlineData("203.0.113")] // IPAddress.TryParse alone would take it as 203.0.0.113
    [InlineData("2130706433")] // nor a number as an address
    [InlineData("203.0.113.7:")]
    [InlineData("203.0.113.7:99999")]
    [InlineData("203.0.113.7:http")]
    [InlineData("[2001:db8::7")]
    [InlineData("[2001:db8::7]x")]
    [InlineData("[203.0.113.7]")] // brackets are for IPv6
    [InlineData("fe80::1%eth0")] // a zone names an interface of the sender's host
    [InlineData("203.0.113.7, 10.1.2.3<script>")]
    public void A_header_that_cannot_be_read_whole_leaves_the_connections_address(string header)
    {
        Assert.Same(Peer, ForwardedClientAddress.Resolve(Peer, header, Trusted));
    }

    [Fact]
    public void Garbage_left_of_the_client_is_never_read()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.7"), ForwardedClientAddress.Resolve(Peer, "unknown, <script>, 203.0.113.7, 10.1.2.3", Trusted));
    }

    [Fact]
    public void Absent_header_leaves_the_connections_address()
    {
        Assert.Same(Peer, ForwardedClientAddress.Resolve(Peer, StringValues.Empty, Trusted));
    }

    [Fact]
    public void More_hops_than_any_real_chain_leaves_the_connections_address()
    {
        var hops = string.Join(", ", Enumerable.Range(1, ForwardedClientAddress.MaxHops).Select(i => $"10.0.1.{i}"));
        Assert.Equal(IPAddress.Parse("10.0.1.1"), ForwardedClientAddress.Resolve(Peer, hops, Trusted)); // at the limit: read
        Assert.Same(Peer, ForwardedClientAddress.Resolve(Peer, "203.0.113.7, " + hops, Trusted));
    }

    [Fact]
    public void A_dual_stack_peer_matches_ipv4_networks()
    {
        Assert.True(Trusted.Trusts(IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.False(Trusted.Trusts(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.False(new TrustedProxiesConfig([new IPNetwork(IPAddress.Any, 0)]).Trusts(IPAddress.Parse("2001:db8::1"))); // 0.0.0.0/0 is IPv4 only
    }
}
