using System.Runtime.CompilerServices;
using OneHop.Core.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Maps YARP's config objects back to the snapshot records they were built from, so that policies read a
/// backend's <see cref="Backend.Policy"/> or an endpoint's weight and zone with one weak-table hit per request.
/// YARP keeps an old config object when a new one is equal to it; equality covers everything that matters
/// because the policy and endpoint details are part of the config's metadata.
/// </summary>
internal sealed class SnapshotCatalog
{
    private readonly ConditionalWeakTable<ClusterConfig, Backend> _backends = [];
    private readonly ConditionalWeakTable<DestinationConfig, BackendEndpoint> _endpoints = [];

    public void Register(ClusterConfig cluster, Backend backend)
    {
        _backends.AddOrUpdate(cluster, backend);
        foreach (var endpoint in backend.Endpoints)
        {
            if (cluster.Destinations?.TryGetValue(endpoint.Id, out var destination) == true)
            {
                _endpoints.AddOrUpdate(destination, endpoint);
            }
        }
    }

    public Backend? BackendOf(ClusterState cluster) => cluster.Model?.Config is { } config ? BackendOf(config) : null;

    public Backend? BackendOf(ClusterConfig cluster) => _backends.TryGetValue(cluster, out var backend) ? backend : null;

    public BackendEndpoint? EndpointOf(DestinationState destination) =>
        destination.Model?.Config is { } config && _endpoints.TryGetValue(config, out var endpoint) ? endpoint : null;
}
