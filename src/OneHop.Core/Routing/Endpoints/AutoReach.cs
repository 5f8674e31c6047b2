using System.Collections.Immutable;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>
/// <c>onehop.dev/reach: auto</c>, decided per Service from the per-node probe results (<see cref="PodReachability"/>):
/// pod IPs while every node that holds the Service's pods answers, node ports as soon as one does not or has not been
/// probed yet (node ports work either way, so an unknown never sends traffic into a black hole), and back to pod IPs
/// once every node answers again.
/// </summary>
internal static class AutoReach
{
    private const int NodesNamed = 3;

    public static (BackendReach Reach, string Reason) Decide(ImmutableArray<BackendEndpoint> pods, bool hasNodePort, PodReachability reachability)
    {
        if (!hasNodePort)
        {
            return (BackendReach.Pods, "auto: pod IPs (the port has no nodePort to fall back to)");
        }

        var nodes = pods.Select(p => p.Node).OfType<string>().Where(n => n.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        if (nodes.Count == 0)
        {
            return (BackendReach.Pods, "auto: pod IPs (no pods on a known node to probe)");
        }

        foreach (var node in nodes)
        {
            if (reachability.Nodes.TryGetValue(node, out var reach) && !reach.Reachable)
            {
                return (BackendReach.NodePorts, $"auto: node ports, pods on {node} are unreachable ({reach.Detail})");
            }
        }

        var unknown = nodes.Where(n => !reachability.Nodes.ContainsKey(n)).ToList();
        return unknown.Count > 0
            ? (BackendReach.NodePorts, $"auto: node ports until pods on {Names(unknown)} answer a probe")
            : (BackendReach.Pods, $"auto: pod IPs, pods on {Names(nodes)} answer");
    }

    private static string Names(List<string> nodes) =>
        nodes.Count <= NodesNamed ? string.Join(", ", nodes) : $"{string.Join(", ", nodes.Take(NodesNamed))} and {nodes.Count - NodesNamed} more";
}
