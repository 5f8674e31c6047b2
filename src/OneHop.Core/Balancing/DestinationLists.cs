using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>Helpers for telling the cluster's own destination list from a narrowed one.</summary>
internal static class DestinationLists
{
    /// <summary>
    /// The cluster's current available list when <paramref name="destinations"/> is a narrowed copy of it (a retry
    /// without the pods already tried), else <paramref name="destinations"/> itself. Pickers whose per-list state is
    /// costly to build (a Maglev table, affinity tokens) key it by the former, so a retry does not rebuild it.
    /// </summary>
    public static IReadOnlyList<DestinationState> Primary(ClusterState cluster, IReadOnlyList<DestinationState> destinations, out bool narrowed)
    {
        narrowed = false;
        var primary = cluster.DestinationsState?.AvailableDestinations;
        if (primary is null || ReferenceEquals(primary, destinations) || primary.Count < destinations.Count || destinations.Count == 0)
        {
            return destinations;
        }

        // O(n·m) reference compares, on retries only.
        for (var i = 0; i < destinations.Count; i++)
        {
            if (!Contains(primary, destinations[i]))
            {
                return destinations;
            }
        }

        narrowed = true;
        return primary;
    }

    public static bool Contains(IReadOnlyList<DestinationState> destinations, DestinationState destination)
    {
        for (var i = 0; i < destinations.Count; i++)
        {
            if (ReferenceEquals(destinations[i], destination))
            {
                return true;
            }
        }

        return false;
    }
}
