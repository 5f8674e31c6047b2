using System.Collections.Immutable;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Tests.Support;

/// <summary>
/// A YARP cluster built the way the data plane builds it (YarpConfigBuilder's shape, registered in a catalog), for
/// testing policies without sockets. <see cref="HealthChanges"/> records what a policy asks YARP to do.
/// </summary>
internal sealed class ProxyFixture : IDestinationHealthUpdater
{
    public ProxyFixture(BackendPolicy policy, params string[] endpointIds)
    {
        var backend = new Backend(
            "default/web:80",
            "default/web:80",
            BackendKind.Service,
            BackendProtocol.Http,
            policy,
            [.. endpointIds.Select(id => new BackendEndpoint(id.Split(':')[0], int.Parse(id.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture), EndpointState.Ready))]);
        var config = new ClusterConfig
        {
            ClusterId = backend.Id,
            Destinations = endpointIds.ToDictionary(id => id, id => new DestinationConfig { Address = $"http://{id}" }),
        };
        Catalog.Register(config, backend);
        Cluster = new ClusterState(backend.Id, new ClusterModel(config, new HttpMessageInvoker(new SocketsHttpHandler())));
        Destinations = [.. endpointIds.Select(id => new DestinationState(id, new DestinationModel(config.Destinations![id])))];
        Cluster.DestinationsState = new ClusterDestinationsState(Destinations, Destinations);
    }

    public SnapshotCatalog Catalog { get; } = new();

    public ClusterState Cluster { get; }

    public ImmutableArray<DestinationState> Destinations { get; }

    public List<(string Endpoint, DestinationHealth Health, TimeSpan? Period)> HealthChanges { get; } = [];

    public DestinationState this[string id] => Destinations.Single(d => d.DestinationId == id);

    public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod)
    {
        destination.Health.Passive = newHealth;
        HealthChanges.Add((destination.DestinationId, newHealth, reactivationPeriod));
    }

    public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates)
    {
        foreach (var change in newHealthStates)
        {
            change.Destination.Health.Active = change.NewActiveHealth;
            HealthChanges.Add((change.Destination.DestinationId, change.NewActiveHealth, null));
        }
    }
}
