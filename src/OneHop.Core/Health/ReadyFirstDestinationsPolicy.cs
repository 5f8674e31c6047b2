using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Health;

/// <summary>
/// The availability layer: healthy ready endpoints; when there are none, healthy terminating-but-serving ones
/// (KEP-1669, as kube-proxy does); when nothing is healthy, every endpoint (panic mode: better a chance than a
/// certain 503). YARP calls it when destinations or their health change, not per request.
/// </summary>
internal sealed class ReadyFirstDestinationsPolicy : IAvailableDestinationsPolicy
{
    public const string PolicyName = "OneHopReadyFirst";

    public string Name => PolicyName;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations)
    {
        var ready = Select(allDestinations, EndpointState.Ready, healthyOnly: true);
        if (ready.Count > 0)
        {
            return ready;
        }

        var terminating = Select(allDestinations, EndpointState.Terminating, healthyOnly: true);
        if (terminating.Count > 0)
        {
            return terminating;
        }

        var anyReady = Select(allDestinations, EndpointState.Ready, healthyOnly: false);
        return anyReady.Count > 0 ? anyReady : allDestinations;
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
