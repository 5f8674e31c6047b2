namespace OneHop.Core.Reachability;

/// <summary>One static route a host outside the cluster needs: a node's pod CIDR via that node's address.</summary>
internal sealed record PodRoute(string Cidr, string Via, string Node)
{
    public bool IsIPv6 => Cidr.Contains(':', StringComparison.Ordinal);

    /// <summary>The iproute2 command, as <c>onehop routes</c> prints it.</summary>
    public override string ToString() => $"ip {(IsIPv6 ? "-6 " : string.Empty)}route replace {Cidr} via {Via}";
}
