using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Plugs OneHop's <see cref="Routing.RouteTable"/> into ASP.NET routing. Every YARP route of OneHop shares one
/// catch-all template; this policy adds a jump table to the routing DFA that asks the route table (Ingress host
/// and path rules, precedence, default backend) which one a request takes: O(1) beyond the match itself.
/// </summary>
internal sealed class RouteTableMatcherPolicy(RouteTableRegistry registry) : MatcherPolicy, INodeBuilderPolicy
{
    // Before HostMatcherPolicy (-100) would matter; OneHop routes carry no host metadata anyway.
    public override int Order => -200;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => endpoints.Any(e => EdgeOf(e) is not null);

    public IReadOnlyList<PolicyNodeEdge> GetEdges(IReadOnlyList<Endpoint> endpoints)
    {
        var groups = new Dictionary<RouteEdge, List<Endpoint>>();
        foreach (var endpoint in endpoints)
        {
            if (EdgeOf(endpoint) is not { } edge)
            {
                continue;
            }

            if (!groups.TryGetValue(edge, out var list))
            {
                list = [];
                groups[edge] = list;
            }

            list.Add(endpoint);
        }

        return [.. groups.Select(g => new PolicyNodeEdge(g.Key, g.Value))];
    }

    public PolicyJumpTable BuildJumpTable(int exitDestination, IReadOnlyList<PolicyJumpTableEdge> edges)
    {
        var version = edges.Count == 0 ? -1 : edges.Max(e => ((RouteEdge)e.State).Version);
        var table = registry.Get(version);
        if (table is null)
        {
            return new ExitJumpTable(exitDestination);
        }

        var destinations = new int[table.Routes.Length];
        Array.Fill(destinations, exitDestination);
        foreach (var edge in edges)
        {
            var state = (RouteEdge)edge.State;
            if (state.Version == version && state.Index < destinations.Length)
            {
                destinations[state.Index] = edge.Destination;
            }
        }

        return new RouteJumpTable(table, destinations, exitDestination);
    }

    private static RouteEdge? EdgeOf(Endpoint endpoint)
    {
        var metadata = endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Metadata;
        if (metadata is null
            || !metadata.TryGetValue(ProxyMetadata.TableVersion, out var version)
            || !metadata.TryGetValue(ProxyMetadata.RouteIndex, out var index))
        {
            return null;
        }

        return new RouteEdge(long.Parse(version, CultureInfo.InvariantCulture), int.Parse(index, CultureInfo.InvariantCulture));
    }

    private sealed class ExitJumpTable(int exit) : PolicyJumpTable
    {
        public override int GetDestination(HttpContext httpContext) => exit;
    }
}
