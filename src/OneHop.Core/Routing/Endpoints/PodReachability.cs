using System.Collections.Immutable;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>
/// The reachability of pod IPs from this OneHop, per node (each node's pods live in its own pod subnet, so one probe
/// stands for them all): an input of the translator, measured outside it (<c>Health.PodReachProber</c>), so that
/// <c>onehop.dev/reach: auto</c> stays a pure decision. Nodes not probed yet are absent.
/// </summary>
internal sealed record PodReachability(ImmutableSortedDictionary<string, NodeReach> Nodes)
{
    public static readonly PodReachability Empty = new(ImmutableSortedDictionary.Create<string, NodeReach>(StringComparer.Ordinal));

    public bool Equals(PodReachability? other) =>
        other is not null && Nodes.Count == other.Nodes.Count && Nodes.All(n => other.Nodes.TryGetValue(n.Key, out var o) && o == n.Value);

    public override int GetHashCode() => Nodes.Count;
}
