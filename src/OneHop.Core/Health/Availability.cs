using System.Collections.Immutable;
using OneHop.Core.Routing;

namespace OneHop.Core.Health;

/// <summary>
/// The availability layer: healthy ready endpoints, narrowed to this replica's zone when that zone can carry its share
/// (<see cref="ZonePreference"/>); when none is healthy, healthy terminating-but-serving ones (KEP-1669, as kube-proxy
/// does); when nothing is healthy, every ready endpoint, or failing that every endpoint (panic mode: better a chance
/// than a certain 503). Pure: the caller says what time it is.
/// </summary>
internal static class Availability
{
    /// <param name="zone">This replica's zone, when zone preference applies to the backend.</param>
    public static ImmutableArray<Destination> Select(ImmutableArray<Destination> all, long now, string? zone, double? trafficShare)
    {
        var ready = Filter(all, EndpointState.Ready, now, healthyOnly: true);
        if (ready.Length > 0)
        {
            return zone is null
                ? ready
                : [.. ZonePreference.Select(ready, Filter(all, EndpointState.Ready, now, healthyOnly: false), zone, trafficShare, d => d.Endpoint.Zone, d => d.Endpoint.ZoneHints)];
        }

        var terminating = Filter(all, EndpointState.Terminating, now, healthyOnly: true);
        if (terminating.Length > 0)
        {
            return terminating;
        }

        var anyReady = Filter(all, EndpointState.Ready, now, healthyOnly: false);
        return anyReady.Length > 0 ? anyReady : all;
    }

    /// <summary>The earliest time an ejection among <paramref name="all"/> runs out after <paramref name="now"/>, or 0.</summary>
    public static long NextExpiry(ImmutableArray<Destination> all, long now)
    {
        var next = 0L;
        foreach (var destination in all)
        {
            var until = destination.Runtime.EjectedUntil;
            if (until > now && (next == 0 || until < next))
            {
                next = until;
            }
        }

        return next;
    }

    private static ImmutableArray<Destination> Filter(ImmutableArray<Destination> all, EndpointState state, long now, bool healthyOnly)
    {
        var builder = ImmutableArray.CreateBuilder<Destination>(all.Length);
        foreach (var destination in all)
        {
            if (destination.Endpoint.State == state && (!healthyOnly || destination.Runtime.IsHealthy(now)))
            {
                builder.Add(destination);
            }
        }

        return builder.Count == all.Length && state == EndpointState.Ready ? all : builder.ToImmutable();
    }
}
