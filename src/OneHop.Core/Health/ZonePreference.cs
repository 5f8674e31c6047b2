using System.Collections.Immutable;

namespace OneHop.Core.Health;

/// <summary>
/// Which of a backend's healthy ready endpoints this replica should use, given its zone. Pure, so every case is a
/// unit test.
/// <list type="bullet">
/// <item>EndpointSlice hints: when every ready endpoint carries <c>hints.forZones</c> (kube-proxy's safeguard), the
/// endpoints hinted for our zone — if any of them is healthy.</item>
/// <item>Otherwise Envoy's zone-aware rule: stay in our zone while its share of the healthy endpoints is at least
/// its share of the traffic (by default traffic is assumed spread evenly over the zones that have endpoints);
/// below that, spill over to every zone.</item>
/// </list>
/// </summary>
internal static class ZonePreference
{
    public static IReadOnlyList<T> Select<T>(
        IReadOnlyList<T> healthy,
        IReadOnlyList<T> ready,
        string localZone,
        double? trafficShare,
        Func<T, string?> zoneOf,
        Func<T, ImmutableArray<string>> hintsOf)
    {
        if (healthy.Count == 0)
        {
            return healthy;
        }

        if (ready.All(e => !hintsOf(e).IsEmpty))
        {
            var hinted = healthy.Where(e => hintsOf(e).Contains(localZone)).ToList();
            return hinted.Count > 0 ? hinted : healthy;
        }

        var zones = ready.Select(zoneOf).Where(z => z is not null).Distinct(StringComparer.Ordinal).Count();
        if (zones <= 1)
        {
            return healthy;
        }

        var local = healthy.Where(e => zoneOf(e) == localZone).ToList();
        if (local.Count == 0)
        {
            return healthy;
        }

        var share = trafficShare ?? 1.0 / zones;
        return (double)local.Count / healthy.Count >= share ? local : healthy;
    }
}
