using System.Globalization;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry;
using Yarp.ReverseProxy.Configuration;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The HTTP data plane: publishes each snapshot to YARP through its in-memory config provider (an atomic swap
/// signalled by a change token) and learns from YARP when the config is live or was rejected.
/// </summary>
internal sealed partial class HttpDataPlane : IDataPlane, IConfigChangeListener
{
    private readonly RouteTableRegistry _tables;
    private readonly SnapshotCatalog _catalog;
    private readonly EndpointRuntimeRegistry _runtimes;
    private readonly ProxyMetrics _metrics;
    private readonly ILogger _logger;
    private long _applied;
    private int _prunePending;
    private volatile string? _lastError;
    private volatile LiveRoutes _live = LiveRoutes.None;
    private volatile HostPolicyTable _hostPolicies = HostPolicyTable.Empty;
    private (RouteTable Table, long Version)? _table;
    private (RouteTable Table, ForwardedHeadersConfig Forwarded, IReadOnlyList<RouteConfig> Configs)? _routes;
    private (ProxyDefaults Defaults, TopologySettings Topology, Dictionary<string, YarpConfigBuilder.BuiltCluster> Clusters)? _built;

    public HttpDataPlane(RouteTableRegistry tables, SnapshotCatalog catalog, EndpointRuntimeRegistry runtimes, ProxyMetrics metrics, ILogger<HttpDataPlane> logger)
    {
        _tables = tables;
        _catalog = catalog;
        _runtimes = runtimes;
        _metrics = metrics;
        _logger = logger;
        ConfigProvider = new InMemoryConfigProvider([], [], "0");
    }

    public event Action<long>? Applied;

    public InMemoryConfigProvider ConfigProvider { get; }

    public long AppliedVersion => Interlocked.Read(ref _applied);

    public string? LastError => _lastError;

    /// <summary>Per-host TLS policies of the newest snapshot.</summary>
    public HostPolicyTable HostPolicies => _hostPolicies;

    /// <summary>Raised with each snapshot before YARP applies it (the TLS certificate store follows it).</summary>
    public event Action<RoutingSnapshot>? Applying;

    /// <summary>The defaults in force, read by the HTTP client factory when YARP builds clients.</summary>
    public ProxyDefaults Defaults { get; private set; } = new();

    /// <summary>Raised with the config (command-line overrides applied) that comes with each snapshot.</summary>
    public event Action<OneHopConfig>? ConfigApplying;

    public void Apply(RoutingSnapshot snapshot, long version, OneHopConfig config)
    {
        Defaults = config.Defaults;
        ConfigApplying?.Invoke(config);
        // Only a change of routes makes a new table (and new YARP routes, and a rebuild of ASP.NET routing's matcher);
        // endpoint churn reuses the last one.
        if (_table is not { } current || !current.Table.Serves(snapshot))
        {
            current = (new RouteTable(snapshot), version);
            _tables.Add(version, current.Table);
            _table = current;
        }

        var (table, tableVersion) = current;
        var previous = _built is { } last && last.Defaults == config.Defaults && last.Topology == config.Topology ? last.Clusters : null;
        var clusters = YarpConfigBuilder.Clusters(snapshot, config, previous);

        // The same routes as last time are the same objects, which YARP compares and validates by reference.
        if (_routes is not { } routes || !ReferenceEquals(routes.Table, table) || routes.Forwarded != config.ForwardedHeaders)
        {
            routes = (table, config.ForwardedHeaders, YarpConfigBuilder.Routes(table, tableVersion, config));
            _routes = routes;
        }

        var built = new Dictionary<string, YarpConfigBuilder.BuiltCluster>(clusters.Count, StringComparer.Ordinal);
        for (var i = 0; i < clusters.Count; i++)
        {
            var (cluster, backend) = (clusters[i], snapshot.Backends[i]);
            if (previous?.GetValueOrDefault(backend.Id).Cluster != cluster)
            {
                _catalog.Register(cluster, backend);
            }

            built[backend.Id] = new(backend, cluster);
        }

        _built = (config.Defaults, config.Topology, built);

        _live = new LiveRoutes(snapshot, table);
        _hostPolicies = new HostPolicyTable(snapshot.HostPolicies);
        Applying?.Invoke(snapshot);
        ConfigProvider.Update(routes.Configs, clusters, version.ToString(CultureInfo.InvariantCulture));
    }

    void IConfigChangeListener.ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        foreach (var config in proxyConfigs)
        {
            if (long.TryParse(config.RevisionId, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            {
                Interlocked.Exchange(ref _applied, version);
                _lastError = null;
                Volatile.Write(ref _prunePending, 1);
                Applied?.Invoke(version);
            }
        }
    }

    /// <summary>
    /// Drops the metric series and runtime state of endpoints no longer routed to, at most once per
    /// <paramref name="interval"/>: housekeeping that costs a pass over every endpoint, which endpoint churn (100
    /// snapshots a second) should not pay on every snapshot.
    /// </summary>
    public async Task RunPruningAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _runtimes.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            Prune();
        }
    }

    /// <summary>Prunes now if a snapshot was applied since the last pass.</summary>
    internal void Prune()
    {
        if (Interlocked.Exchange(ref _prunePending, 0) == 1)
        {
            var live = _live;
            _metrics.Retain(live.Contains);
            _runtimes.Retain(live.EndpointIds);
        }
    }

    void IConfigChangeListener.ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
        _lastError = exception.Message;
        Log.ApplyFailed(_logger, exception);
    }

    void IConfigChangeListener.ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    void IConfigChangeListener.ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception)
    {
        _lastError = exception.Message;
        Log.ApplyFailed(_logger, exception);
    }

    /// <summary>Which (route, endpoint) pairs the current snapshot routes to, for pruning; worked out when first asked.</summary>
    private sealed class LiveRoutes(RoutingSnapshot snapshot, RouteTable? table)
    {
        public static readonly LiveRoutes None = new(RoutingSnapshot.Empty, null);

        private readonly Lazy<(HashSet<string> Endpoints, Dictionary<string, HashSet<string>> ByRoute)> _sets = new(() => Compute(snapshot, table));

        public HashSet<string> EndpointIds => _sets.Value.Endpoints;

        public bool Contains(string route, Yarp.ReverseProxy.Model.DestinationState destination) =>
            _sets.Value.ByRoute.TryGetValue(route, out var endpoints) && endpoints.Contains(destination.DestinationId);

        private static (HashSet<string>, Dictionary<string, HashSet<string>>) Compute(RoutingSnapshot snapshot, RouteTable? table)
        {
            var all = new HashSet<string>(StringComparer.Ordinal);
            var byRoute = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            if (table is null)
            {
                return (all, byRoute);
            }

            var endpoints = snapshot.Backends.ToDictionary(b => b.Id, b => b.Endpoints.Select(e => e.Id).ToHashSet(StringComparer.Ordinal));
            all.UnionWith(endpoints.Values.SelectMany(e => e));
            foreach (var route in table.Routes)
            {
                byRoute[route.Id] = endpoints.GetValueOrDefault(route.BackendId) ?? [];
            }

            return (all, byRoute);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The data plane rejected a routing snapshot; it keeps serving the previous one")]
        public static partial void ApplyFailed(ILogger logger, Exception exception);
    }
}
