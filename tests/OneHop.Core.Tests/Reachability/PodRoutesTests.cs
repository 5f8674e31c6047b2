using k8s.Models;
using OneHop.Core.Reachability;

namespace OneHop.Core.Tests.Reachability;

public sealed class PodRoutesTests
{
    private static V1Node Node(string name, IList<string>? cidrs = null, string? legacyCidr = null, params string[] internalIps) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NodeSpec { PodCIDRs = cidrs, PodCIDR = legacyCidr },
        Status = new V1NodeStatus
        {
            Addresses = [.. internalIps.Select(ip => new V1NodeAddress { Type = "InternalIP", Address = ip }), new V1NodeAddress { Type = "Hostname", Address = name }],
        },
    };

    [Fact]
    public void Each_pod_cidr_goes_via_the_nodes_internal_ip_of_the_same_family()
    {
        var (routes, skipped) = PodRoutes.From(
        [
            Node("node-b", ["10.244.1.0/24", "fd00:244:1::/64"], null, "192.168.1.12", "fd00::12"),
            Node("node-a", ["10.244.0.0/24"], null, "192.168.1.11"),
        ]);

        Assert.Empty(skipped);
        Assert.Equal(
            ["ip route replace 10.244.0.0/24 via 192.168.1.11", "ip route replace 10.244.1.0/24 via 192.168.1.12", "ip -6 route replace fd00:244:1::/64 via fd00::12"],
            routes.Select(r => r.ToString()));
    }

    [Fact]
    public void The_older_single_pod_cidr_field_is_read_too()
    {
        var (routes, _) = PodRoutes.From([Node("old", null, "10.244.7.0/24", "192.168.1.17")]);
        Assert.Equal("10.244.7.0/24", Assert.Single(routes).Cidr);
    }

    [Fact]
    public void Nodes_without_a_cidr_or_a_matching_address_are_reported_not_guessed()
    {
        var (routes, skipped) = PodRoutes.From([Node("bgp", null, null, "192.168.1.20"), Node("v6only", ["10.244.9.0/24"], null, "fd00::9")]);
        Assert.Empty(routes);
        Assert.Equal(2, skipped.Count);
        Assert.Contains("no IPv4 InternalIP", skipped[1], StringComparison.Ordinal);
    }
}
