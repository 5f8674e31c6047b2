using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http.SharedRates;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The HTTP data plane's input side: turns each snapshot into an <see cref="HttpRouting"/> and swaps it in with one
/// write, so the next request sees it. Backends equal to the previous snapshot's keep their <see cref="BackendState"/>
/// (and with it the pickers' state and the cached list of available endpoints); every endpoint keeps its runtime state
/// (in flight, latency, health) across snapshots through <see cref="EndpointRuntimeRegistry"/>. The certificate store
/// and other consumers of the snapshot are the coordinator's, not this class's.
/// </summary>
internal sealed class HttpDataPlane(EndpointRuntimeRegistry runtimes) : IDataPlane
{
    private readonly BackendKeeps _keeps = new(runtimes.Time);
    private readonly Lock _applyLock = new();
    private volatile HttpRouting _routing = HttpRouting.Empty;
    private int _prunePending;
    private TopologySettings? _topology;

    public event Action<long>? Applied;

    /// <summary>What requests are routed by now.</summary>
    public HttpRouting Routing => _routing;

    public long AppliedVersion => _routing.Version;

    /// <summary>Applying cannot fail short of a bug: the snapshot is already validated and YARP is not involved.</summary>
    public string? LastError => null;

    /// <summary>Per-host TLS policies of the snapshot in force.</summary>
    public HostPolicyTable HostPolicies => _routing.HostPolicies;

    /// <summary>Every backend of the snapshot in force (the active health checker probes these).</summary>
    public IReadOnlyCollection<BackendState> Backends => _routing.Backends.Values.ToArray();

    public EndpointRuntimeRegistry Runtimes => runtimes;

    /// <summary>Where the routes' rates are counted with the other replicas (<c>limits.sharedRates</c>); null: on this one alone.</summary>
    public SharedRateCounts? SharedRates { get; init; }

    /// <summary>This replica's zone in the config in force (<c>topology.zone</c>); null without one.</summary>
    public string? Zone => Volatile.Read(ref _topology)?.Zone;

    public void Apply(PublishedSnapshot published)
    {
        var (version, snapshot, config) = (published.Version, published.Snapshot, published.Config);
        lock (_applyLock)
        {
            var previous = _routing;
            if (version == previous.Version)
            {
                return;
            }

            var table = previous.Table.Serves(snapshot) ? previous.Table : new RouteTable(snapshot);
            var sameSettings = previous.Version > 0 && previous.Defaults == config.Defaults && _topology == config.Topology;
            var backends = ImmutableDictionary.CreateBuilder<string, BackendState>(StringComparer.Ordinal);
            foreach (var backend in snapshot.Backends)
            {
                backends[backend.Id] = sameSettings && previous.Backends.TryGetValue(backend.Id, out var known) && known.Backend.Equals(backend)
                    ? known
                    : _keeps.Build(backend, runtimes, config.Topology.Zone, config.Topology.TrafficShare);
            }

            var byRoute = ImmutableArray.CreateBuilder<BackendState?>(table.Routes.Length);
            var splits = ImmutableArray.CreateBuilder<BackendSplit?>(table.Routes.Length);
            var gates = ImmutableArray.CreateBuilder<BasicAuthGate?>(table.Routes.Length);
            var knownGates = previous.BasicAuthByRoute.OfType<BasicAuthGate>().DistinctBy(g => g.Auth).ToDictionary(g => g.Auth);
            var states = backends.ToImmutable();
            _keeps.Serve(states);
            var externalAuth = ImmutableArray.CreateBuilder<ExternalAuthCheck?>(table.Routes.Length);
            var limits = ImmutableArray.CreateBuilder<RouteRateLimiter?>(table.Routes.Length);
            var knownLimits = previous.RateLimitsByRoute.OfType<RouteRateLimiter>().DistinctBy(l => l.Limit).ToDictionary(l => l.Limit);
            var keptLimits = new HashSet<RouteRateLimiter>();
            var errorPages = ImmutableArray.CreateBuilder<ErrorPagesTarget?>(table.Routes.Length);
            foreach (var route in table.Routes)
            {
                byRoute.Add(route.Splits.IsEmpty ? states.GetValueOrDefault(route.BackendId) : null);
                splits.Add(route.Splits.IsEmpty ? null : new BackendSplit(route.Splits, states));

                // The same users keep their gate, and the credentials it has already checked.
                gates.Add(route.Filters?.BasicAuth is { } basic ? knownGates.GetValueOrDefault(basic) ?? (knownGates[basic] = new BasicAuthGate(basic)) : null);

                // The same limits keep their counts: a new snapshot must not hand every client a fresh burst.
                var limiter = route.Filters?.RateLimit is { } limit ? knownLimits.GetValueOrDefault(limit) ?? (knownLimits[limit] = new RouteRateLimiter(limit, SharedRates)) : null;
                limits.Add(limiter);
                if (limiter is not null)
                {
                    keptLimits.Add(limiter);
                }

                externalAuth.Add(route.Filters?.ExternalAuth is { } auth ? new ExternalAuthCheck(auth, auth.BackendId is { } id ? states.GetValueOrDefault(id) : null, route.Id) : null);
                errorPages.Add(route.Filters?.ErrorPages is { } pages && states.GetValueOrDefault(pages.BackendId) is { } answering ? new ErrorPagesTarget(pages, answering) : null);
            }

            _topology = config.Topology;
            var hostPolicies = previous.Version > 0 && previous.HostPolicies.Serves(snapshot.HostPolicies) ? previous.HostPolicies : new HostPolicyTable(snapshot.HostPolicies);
            // ingress-nginx's ConfigMap, when it trusts proxies in front, replaces the config file's forwardedHeaders.trustedProxies.
            var forwarded = snapshot.TrustedProxies is { } fromCluster ? config.ForwardedHeaders with { TrustedProxies = fromCluster } : config.ForwardedHeaders;
            if (forwarded == previous.Forwarded)
            {
                forwarded = previous.Forwarded; // the same instance: the forwarders compare theirs with it on every request
            }

            _routing = new HttpRouting(version, table, byRoute.MoveToImmutable(), states, hostPolicies, config.Defaults, forwarded)
            {
                SplitsByRoute = splits.MoveToImmutable(),
                BasicAuthByRoute = gates.MoveToImmutable(),
                LabelsByRoute = ReferenceEquals(table, previous.Table) ? previous.LabelsByRoute : [.. table.Routes.Select(RouteLabels.Of)],
                ExternalAuthByRoute = externalAuth.MoveToImmutable(),
                RateLimitsByRoute = limits.MoveToImmutable(),
                ErrorPagesByRoute = errorPages.MoveToImmutable(),
                RedirectPort = config.Tls.RedirectPort,
                HttpsRedirectStatus = snapshot.HttpsRedirectStatus,
                ProxyProtocol = snapshot.ProxyProtocol,
            };
            Volatile.Write(ref _prunePending, 1);
            foreach (var gone in previous.RateLimitsByRoute.OfType<RouteRateLimiter>().Where(l => !keptLimits.Contains(l)).Distinct())
            {
                gone.Dispose(); // its per-address tick stops; a request still holding it is admitted (see TryAcquire)
            }
        }

        Applied?.Invoke(version);
    }

    /// <summary>
    /// Drops the runtime state of endpoints no longer routed to, and the retry budgets of backends
    /// that left, if a snapshot came since the last call: housekeeping that costs a pass over every endpoint, which
    /// endpoint churn (100 snapshots a second) should not pay on every snapshot. Called from the heartbeat.
    /// </summary>
    public void Prune()
    {
        if (Interlocked.Exchange(ref _prunePending, 0) == 0)
        {
            return;
        }

        var routing = _routing;
        var endpoints = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < routing.Table.Routes.Length; i++)
        {
            IEnumerable<BackendState> routed = routing.BackendsByRoute[i] is { } one ? [one] : routing.SplitsByRoute[i]?.Backends ?? [];
            if (routing.ErrorPagesByRoute[i] is { } errors)
            {
                routed = routed.Append(errors.Backend);
            }

            foreach (var destination in routed.SelectMany(b => b.Destinations))
            {
                endpoints.Add(destination.Id);
            }
        }

        runtimes.Retain(endpoints);
        lock (_applyLock)
        {
            _keeps.Prune(routing.Backends);
        }
    }
}
