using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace OneHop.Core.Reachability;

/// <summary>
/// Computes the routes from Nodes: each <c>spec.podCIDRs</c> entry (or the older <c>spec.podCIDR</c>) via the
/// node's InternalIP of the same address family. Pure; nodes without either are reported, not guessed.
/// </summary>
internal static class PodRoutes
{
    public static (IReadOnlyList<PodRoute> Routes, IReadOnlyList<string> Skipped) From(IEnumerable<V1Node> nodes)
    {
        var routes = new List<PodRoute>();
        var skipped = new List<string>();
        foreach (var node in nodes.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var name = node.Metadata.Name;
            var cidrs = node.Spec?.PodCIDRs is { Count: > 0 } list ? list : node.Spec?.PodCIDR is { } single ? [single] : [];
            if (cidrs.Count == 0)
            {
                skipped.Add($"{name}: no spec.podCIDRs (the CNI allocates pod addresses itself, or announces them by BGP)");
                continue;
            }

            var internalIps = (node.Status?.Addresses ?? []).Where(a => a.Type == "InternalIP").Select(a => a.Address).ToList();
            foreach (var cidr in cidrs)
            {
                var family = cidr.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
                var via = internalIps.FirstOrDefault(ip => IPAddress.TryParse(ip, out var parsed) && parsed.AddressFamily == family);
                if (via is null)
                {
                    skipped.Add($"{name}: no {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} InternalIP for {cidr}");
                    continue;
                }

                routes.Add(new PodRoute(cidr, via, name));
            }
        }

        return (routes, skipped);
    }
}
