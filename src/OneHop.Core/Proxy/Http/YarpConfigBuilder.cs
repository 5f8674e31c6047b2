using System.Globalization;
using OneHop.Core.Balancing;
using OneHop.Core.Health;
using OneHop.Core.Routing;
using OneHop.Core.Sources.Config;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Turns a <see cref="RoutingSnapshot"/> into YARP routes and clusters. Pure. Every route gets the same catch-all
/// path: which route a request takes is decided by OneHop's own <see cref="RouteTable"/> (see
/// <see cref="RouteTableMatcherPolicy"/>), because Ingress matching rules are not ASP.NET routing's.
/// </summary>
internal static class YarpConfigBuilder
{
    public const string CatchAllPath = "/{**onehop-path}";

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(
        RouteTable table,
        long version,
        OneHopConfig config)
    {
        var snapshot = table.Snapshot;
        var versionText = version.ToString(CultureInfo.InvariantCulture);
        var routes = new List<RouteConfig>(table.Routes.Length);
        for (var i = 0; i < table.Routes.Length; i++)
        {
            var route = table.Routes[i];
            routes.Add(new RouteConfig
            {
                RouteId = route.Id,
                ClusterId = route.BackendId,
                Match = new RouteMatch { Path = CatchAllPath },
                Metadata = new Dictionary<string, string>
                {
                    [ProxyMetadata.TableVersion] = versionText,
                    [ProxyMetadata.RouteIndex] = i.ToString(CultureInfo.InvariantCulture),
                },

                // Pods and legacy servers see the Host the client asked for, as behind nginx or HAProxy.
                Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
                Timeout = route.Timeout,
            });
        }

        var clusters = snapshot.Backends.Select(b => Cluster(b, config.Defaults, config.Topology)).ToList();
        return (routes, clusters);
    }

    private static ClusterConfig Cluster(Backend backend, ProxyDefaults defaults, TopologySettings topology)
    {
        // The policy is part of the metadata so that YARP sees a policy change as a cluster change.
        var metadata = new Dictionary<string, string>
        {
            [ProxyMetadata.BackendName] = backend.Name,
            [ProxyMetadata.Policy] = backend.Policy.ToString(),
        };
        if (backend.Problem is { } problem)
        {
            metadata[ProxyMetadata.Problem] = problem;
        }

        // The replica's zone is part of every cluster's config, so a zone change makes YARP recompute availability.
        if (topology.Zone is { } zone)
        {
            metadata[ProxyMetadata.LocalZone] = zone;
        }

        if (topology.TrafficShare is { } share)
        {
            metadata[ProxyMetadata.ZoneTrafficShare] = share.ToString(CultureInfo.InvariantCulture);
        }

        var policy = backend.Policy;

        return new ClusterConfig
        {
            ClusterId = backend.Id,
            LoadBalancingPolicy = YarpPolicyNames.For(backend.Policy.LoadBalancing),
            HealthCheck = new HealthCheckConfig
            {
                AvailableDestinationsPolicy = ReadyFirstDestinationsPolicy.PolicyName,
                Passive = policy.Outlier.Enabled ? new PassiveHealthCheckConfig { Enabled = true, Policy = OutlierDetector.PolicyName } : null,
                Active = policy.Probe is { } probe
                    ? new ActiveHealthCheckConfig
                    {
                        Enabled = true,
                        Interval = probe.Interval,
                        Timeout = probe.Timeout,
                        Path = probe.Path,
                        Policy = ProbeThresholdPolicy.PolicyName,
                    }
                    : null,
            },
            HttpRequest = new ForwarderRequestConfig
            {
                ActivityTimeout = defaults.RequestTimeout,
                Version = System.Net.HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            },
            HttpClient = new HttpClientConfig { DangerousAcceptAnyServerCertificate = backend.TlsInsecureSkipVerify },
            Metadata = metadata,
            Destinations = backend.Endpoints.ToDictionary(
                e => e.Id,
                e => new DestinationConfig
                {
                    Address = $"{backend.Scheme}://{e.Id}",
                    Metadata = DestinationMetadata(e),
                },
                StringComparer.Ordinal),
        };
    }

    private static Dictionary<string, string> DestinationMetadata(BackendEndpoint endpoint)
    {
        var metadata = new Dictionary<string, string>
        {
            [ProxyMetadata.EndpointState] = endpoint.State.ToString(),
            [ProxyMetadata.Pod] = endpoint.Pod ?? endpoint.Id,
            [ProxyMetadata.Weight] = endpoint.Weight.ToString(CultureInfo.InvariantCulture),
        };
        if (endpoint.Zone is { } zone)
        {
            metadata[ProxyMetadata.Zone] = zone;
        }

        if (endpoint.Node is { } node)
        {
            metadata[ProxyMetadata.Node] = node;
        }

        if (!endpoint.ZoneHints.IsEmpty)
        {
            metadata[ProxyMetadata.ZoneHints] = string.Join(',', endpoint.ZoneHints);
        }

        return metadata;
    }
}
