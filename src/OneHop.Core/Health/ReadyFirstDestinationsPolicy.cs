using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Health;

/// <summary>
/// The availability layer: healthy ready endpoints, narrowed to this replica's zone when that zone can carry its
/// share (<see cref="ZonePreference"/>); when none is healthy, healthy terminating-but-serving ones (KEP-1669, as
/// kube-proxy does); when nothing is healthy, every endpoint (panic mode: better a chance than a certain 503).
/// YARP calls it when destinations or their health change, not per request.
/// </summary>
internal sealed class ReadyFirstDestinationsPolicy(SnapshotCatalog catalog) : IAvailableDestinationsPolicy
{
    public const string PolicyName = "OneHopReadyFirst";

    public string Name => PolicyName;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations)
    {
        var ready = Select(allDestinations, EndpointState.Ready, healthyOnly: true);
        if (ready.Count > 0)
        {
            return PreferZone(config, ready, allDestinations);
        }

        var terminating = Select(allDestinations, EndpointState.Terminating, healthyOnly: true);
        if (terminating.Count > 0)
        {
            return terminating;
        }

        var anyReady = Select(allDestinations, EndpointState.Ready, healthyOnly: false);
        return anyReady.Count > 0 ? anyReady : allDestinations;
    }

    private IReadOnlyList<DestinationState> PreferZone(ClusterConfig config, List<DestinationState> healthy, IReadOnlyList<DestinationState> all)
    {
        var metadata = config.Metadata;
        if (metadata?.TryGetValue(ProxyMetadata.LocalZone, out var zone) != true || zone is null
            || catalog.BackendOf(config) is not { Policy.ZoneAware: true })
        {
            return healthy;
        }

        double? share = metadata.TryGetValue(ProxyMetadata.ZoneTrafficShare, out var text)
            && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : null;
        return ZonePreference.Select<DestinationState>(
            healthy,
            Select(all, EndpointState.Ready, healthyOnly: false),
            zone,
            share,
            d => catalog.EndpointOf(d)?.Zone,
            d => catalog.EndpointOf(d)?.ZoneHints ?? []);
    }

    public static EndpointState StateOf(DestinationState destination) =>
        destination.Model?.Config.Metadata?.TryGetValue(ProxyMetadata.EndpointState, out var text) == true
        && Enum.TryParse<EndpointState>(text, out var state)
            ? state
            : EndpointState.Ready;

    private static List<DestinationState> Select(IReadOnlyList<DestinationState> all, EndpointState state, bool healthyOnly)
    {
        var result = new List<DestinationState>(all.Count);
        foreach (var destination in all)
        {
            if (StateOf(destination) == state && (!healthyOnly || IsHealthy(destination)))
            {
                result.Add(destination);
            }
        }

        return result;
    }

    private static bool IsHealthy(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
}
