using OneHop.Core.Reachability;

namespace OneHop.Core.Tests.Reachability;

public sealed class RouteFormatterTests
{
    private static readonly PodRoute[] Routes =
    [
        new("10.244.0.0/24", "192.168.1.11", "node-a"),
        new("10.244.1.0/24", "192.168.1.12", "node-b"),
        new("fd00:244:1::/64", "fd00::12", "node-b"),
    ];

    [Fact]
    public void Ip_prints_iproute2_commands()
    {
        Assert.Equal(
            ["ip route replace 10.244.0.0/24 via 192.168.1.11", "ip route replace 10.244.1.0/24 via 192.168.1.12", "ip -6 route replace fd00:244:1::/64 via fd00::12"],
            RouteFormatter.Format(Routes, RouteFormat.Ip));
    }

    [Fact]
    public void Bird_prints_one_static_protocol_per_address_family()
    {
        Assert.Equal(
            [
                "protocol static onehop_pods_ipv4 {",
                "  ipv4;",
                "  route 10.244.0.0/24 via 192.168.1.11; # node-a",
                "  route 10.244.1.0/24 via 192.168.1.12; # node-b",
                "}",
                "protocol static onehop_pods_ipv6 {",
                "  ipv6;",
                "  route fd00:244:1::/64 via fd00::12; # node-b",
                "}",
            ],
            RouteFormatter.Format(Routes, RouteFormat.Bird));
        Assert.DoesNotContain(RouteFormatter.Format(Routes[..1], RouteFormat.Bird), l => l.Contains("ipv6", StringComparison.Ordinal));
    }

    [Fact]
    public void Frr_prints_tagged_static_routes()
    {
        Assert.Equal(
            ["ip route 10.244.0.0/24 192.168.1.11 tag 212", "ip route 10.244.1.0/24 192.168.1.12 tag 212", "ipv6 route fd00:244:1::/64 fd00::12 tag 212"],
            RouteFormatter.Format(Routes, RouteFormat.Frr));
    }
}
