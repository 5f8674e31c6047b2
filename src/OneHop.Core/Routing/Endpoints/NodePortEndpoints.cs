using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>
/// The NodePort fallback (<see cref="BackendReach.NodePorts"/>): a Service's pod endpoints turned into one endpoint per
/// node that hosts them, <c>InternalIP:nodePort</c>, weighted by its pod count. Only nodes with a ready pod take new
/// traffic, so a node whose pods all left drops out with the snapshot that saw them go; nodes with only terminating
/// pods are kept as the same fallback terminating pods are.
/// </summary>
internal static class NodePortEndpoints
{
    public const string Annotation = "onehop.dev/reach";

    /// <summary>
    /// The node endpoints for <paramref name="pods"/>; <paramref name="problem"/> hears of pods whose node has no usable
    /// address. A <paramref name="healthPort"/> (kube-proxy's healthCheckNodePort) goes on every node endpoint.
    /// </summary>
    public static ImmutableArray<BackendEndpoint> From(ImmutableArray<BackendEndpoint> pods, int nodePort, ClusterState state, Action<string> problem, int? healthPort = null)
    {
        var byNode = new SortedDictionary<string, (EndpointState State, int Weight, string? Zone)>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Node is not { Length: > 0 } node)
            {
                problem($"endpoint {pod.Address} has no nodeName; it is left out of the nodeports fallback");
                continue;
            }

            var weight = pod.Weight;
            if (byNode.TryGetValue(node, out var known))
            {
                // Ready pods decide a node's state and weight; terminating ones count only where nothing is ready.
                if (pod.State > known.State)
                {
                    continue;
                }

                weight += pod.State == known.State ? known.Weight : 0;
            }

            byNode[node] = (pod.State, weight, pod.Zone);
        }

        var endpoints = ImmutableArray.CreateBuilder<BackendEndpoint>();
        foreach (var (node, (endpointState, weight, zone)) in byNode)
        {
            if (Address(state, node, pods[0].Address) is not { } address)
            {
                problem($"node {node} is unknown or has no InternalIP of the pods' family; its pods are left out of the nodeports fallback");
                continue;
            }

            endpoints.Add(new BackendEndpoint(address, nodePort, endpointState, Node: node, Zone: zone, Weight: weight) { HealthPort = healthPort });
        }

        return endpoints.ToImmutable();
    }

    /// <summary>The node's first InternalIP of the same address family as the pods.</summary>
    private static string? Address(ClusterState state, string node, string podAddress)
    {
        if (!state.Nodes.TryGetValue(new ObjectKey(string.Empty, node), out var found))
        {
            return null;
        }

        var family = IPAddress.TryParse(podAddress, out var parsed) ? parsed.AddressFamily : AddressFamily.InterNetwork;
        return found.Status?.Addresses?
            .Where(a => a?.Type == "InternalIP" && IPAddress.TryParse(a.Address, out var ip) && ip.AddressFamily == family)
            .Select(a => a.Address)
            .FirstOrDefault();
    }
}
