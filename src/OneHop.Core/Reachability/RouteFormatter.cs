namespace OneHop.Core.Reachability;

/// <summary>
/// The pod routes as a router daemon reads them, so an existing BIRD or FRR announces them to the network (ECMP/BGP)
/// instead of each host installing them: nothing here replaces the daemon, it only writes its config lines.
/// </summary>
internal static class RouteFormatter
{
    /// <summary>The FRR tag on OneHop's routes, the same number as the kernel protocol <c>onehop routes --apply</c> uses.</summary>
    public const int FrrTag = RouteTableWriter.Protocol;

    public static IEnumerable<string> Format(IReadOnlyList<PodRoute> routes, RouteFormat format) => format switch
    {
        RouteFormat.Bird => Bird(routes),
        RouteFormat.Frr => routes.Select(r => $"{(r.IsIPv6 ? "ipv6" : "ip")} route {r.Cidr} {r.Via} tag {FrrTag}"),
        _ => routes.Select(r => r.ToString()),
    };

    private static IEnumerable<string> Bird(IReadOnlyList<PodRoute> routes)
    {
        foreach (var (family, name) in new[] { (false, "ipv4"), (true, "ipv6") })
        {
            var ofFamily = routes.Where(r => r.IsIPv6 == family).ToList();
            if (ofFamily.Count == 0)
            {
                continue;
            }

            yield return $"protocol static onehop_pods_{name} {{";
            yield return $"  {name};";
            foreach (var route in ofFamily)
            {
                yield return $"  route {route.Cidr} via {route.Via}; # {route.Node}";
            }

            yield return "}";
        }
    }
}
