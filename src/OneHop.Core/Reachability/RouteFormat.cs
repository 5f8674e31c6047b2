namespace OneHop.Core.Reachability;

/// <summary>How <c>onehop routes</c> prints the pod routes.</summary>
internal enum RouteFormat
{
    /// <summary>iproute2 commands, one per route.</summary>
    Ip,

    /// <summary>BIRD 2 <c>protocol static</c> blocks, one per address family, to include from bird.conf.</summary>
    Bird,

    /// <summary>FRR static routes (<c>ip route</c> / <c>ipv6 route</c> lines for frr.conf), tagged for a route-map.</summary>
    Frr,
}
