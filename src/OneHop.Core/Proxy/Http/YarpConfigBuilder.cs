using System.Globalization;
using OneHop.Core.Balancing;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Routing;
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

    /// <summary>The YARP routes of <paramref name="table"/>: one per OneHop route, in table order.</summary>
    /// <param name="table">The snapshot's routes compiled for matching (perhaps from an earlier snapshot with the same routes).</param>
    /// <param name="tableVersion">
    /// The version <paramref name="table"/> was registered under: it is in every route's metadata, so the routes stay
    /// equal to YARP's current ones while only backends change, and YARP does not rebuild ASP.NET routing for them.
    /// </param>
    public static IReadOnlyList<RouteConfig> Routes(RouteTable table, long tableVersion, OneHopConfig config)
    {
        var versionText = tableVersion.ToString(CultureInfo.InvariantCulture);
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
                    [ProxyMetadata.ForwardedAction] = config.ForwardedHeaders.XForwarded.ToString(),
                    [ProxyMetadata.RfcForwardedAction] = config.ForwardedHeaders.Forwarded.ToString(),
                    [ProxyMetadata.RouteIndex] = i.ToString(CultureInfo.InvariantCulture),
                },

                Transforms = OriginalHost,
                Timeout = route.Timeout,
            });
        }

        return routes;
    }

    /// <summary>The YARP clusters of the snapshot's backends, in order.</summary>
    /// <param name="previous">
    /// The clusters of the last build by backend id, when it had the same defaults and topology: a backend equal to
    /// the one a cluster was built from gets that very cluster back, so endpoint churn allocates only the clusters it
    /// changes, and YARP compares the rest by reference.
    /// </param>
    public static IReadOnlyList<ClusterConfig> Clusters(RoutingSnapshot snapshot, OneHopConfig config, IReadOnlyDictionary<string, BuiltCluster>? previous)
    {
        var clusters = new List<ClusterConfig>(snapshot.Backends.Length);
        foreach (var backend in snapshot.Backends)
        {
            clusters.Add(previous is not null && previous.TryGetValue(backend.Id, out var built) && built.Backend.Equals(backend)
                ? built.Cluster
                : Cluster(backend, config.Defaults, config.Topology));
        }

        return clusters;
    }

    /// <summary>The connection settings YARP's HttpClientConfig lacks; see <see cref="OneHopHttpClientFactory"/>.</summary>
    internal static string ClientSettings(ProxyDefaults defaults) =>
        string.Create(CultureInfo.InvariantCulture, $"connect={defaults.ConnectTimeout};idle={defaults.UpstreamIdleTimeout}");

    private static ClusterConfig Cluster(Backend backend, ProxyDefaults defaults, TopologySettings topology)
    {
        // The policy is part of the metadata so that YARP sees a policy change as a cluster change.
        var metadata = new Dictionary<string, string>
        {
            [ProxyMetadata.BackendName] = backend.Name,
            [ProxyMetadata.Policy] = backend.Policy.ToString(),
            [ProxyMetadata.ClientSettings] = ClientSettings(defaults),
        };
        if (backend.Problem is { } problem)
        {
            metadata[ProxyMetadata.Problem] = problem;
        }

        if (backend.TlsCaPem is { } ca)
        {
            metadata[ProxyMetadata.UpstreamCa] = ca;
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
                Version = BackendProtocols.IsHttp2(backend.Protocol) ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11,

                // Exact for HTTP/2: h2c needs prior knowledge, there is no upgrade to fall back from.
                VersionPolicy = BackendProtocols.IsHttp2(backend.Protocol) ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
            },

            // Pods serve TLS with certificates of their own that no CA vouches for (ingress-nginx does not verify them
            // either); static upstreams are verified unless configured otherwise.
            HttpClient = new HttpClientConfig { DangerousAcceptAnyServerCertificate = backend.TlsInsecureSkipVerify || backend.Kind != BackendKind.Upstream },
            Metadata = metadata,
            Destinations = backend.Endpoints.ToDictionary(
                e => e.Id,
                e => new DestinationConfig
                {
                    Address = $"{BackendProtocols.Scheme(backend.Protocol)}://{e.Id}",
                    Metadata = DestinationMetadata(e),
                },
                StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Pods and legacy servers see the Host the client asked for, as behind nginx or HAProxy. Who the client is
    /// (X-Forwarded-*, Forwarded) is added by <see cref="ClientIdentityTransforms"/> from the route's metadata.
    /// </summary>
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> OriginalHost =
    [
        new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" },
    ];

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

    /// <summary>A YARP cluster and the backend it was built from.</summary>
    internal readonly record struct BuiltCluster(Backend Backend, ClusterConfig Cluster);
}
