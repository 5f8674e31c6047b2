using System.Collections.Immutable;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// The Kubernetes API as a source: an informer per kind (and per namespace when namespaces are given) for
/// Services, EndpointSlices, Ingresses, IngressClasses, TLS Secrets and Nodes (and one per named tcp/udp-services
/// or controller ConfigMap, and the ConfigMaps those and the Ingresses name), feeding the same
/// <see cref="ClusterState"/> the manifest directory does. Synced once every kind has listed (a forbidden kind
/// counts as empty and is reported). Unreachable or failing, it keeps its last state and says how stale it is.
/// </summary>
internal sealed class KubernetesSource : IObjectSource
{
    public const string SourceName = "kubernetes";

    private readonly IKindStore[] _stores;
    private readonly List<(Func<Action, CancellationToken, Task> Run, Func<InformerStatus> Status)> _informers = [];
    private readonly ReferencedConfigMaps _referenced = new();
    private readonly ImmutableHashSet<ObjectKey> _namedMaps;

    public KubernetesSource(IKubernetes client, KubernetesSourceOptions options, TimeProvider time, IRandomSource random, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<KubernetesSource>();
        ImmutableArray<string?> namespaces = options.Namespaces.IsEmpty ? [null] : [.. options.Namespaces];
        _namedMaps = [.. options.ConfigMaps];
        _stores = [.. KindRegistry.All.Select(kind => kind.Accept(new Watching(client, namespaces, options, time, random, logger, _informers, _referenced, RefreshReferences)))];
    }

    public string Name => SourceName;

    /// <summary>The Ingresses as the API server last sent them (the status publisher writes to these).</summary>
    public ImmutableDictionary<ObjectKey, V1Ingress> Ingresses => ((KindStore<V1Ingress>)_stores[KindRegistry.Ingress.Index]).Items;

    public SourceSnapshot Current
    {
        get
        {
            var kinds = _informers.Select(i => i.Status()).ToImmutableArray();
            var state = new ClusterState { DefaultOrigin = ObjectOrigin.Kubernetes };
            foreach (var store in _stores)
            {
                state = store.AddTo(state);
            }

            var lastSync = kinds.All(k => k.LastSync is not null) ? kinds.Min(k => k.LastSync) : null;
            return new SourceSnapshot(kinds.All(k => k.Synced), state, Diagnostics(kinds), lastSync) { Kinds = kinds };
        }
    }

    /// <summary>Reads again which ConfigMaps the Ingresses and the named controller maps refer to (after either changed).</summary>
    private void RefreshReferences()
    {
        var maps = (KindStore<V1ConfigMap>)_stores[KindRegistry.ConfigMap.Index];
        _referenced.Refresh(() => Ingresses.Values, () => _namedMaps.Select(k => maps.Items.GetValueOrDefault(k)).OfType<V1ConfigMap>());
    }

    public Task RunAsync(Action changed, CancellationToken cancellationToken) =>
        Task.WhenAll(_informers.Select(i => Task.Run(() => i.Run(changed, cancellationToken), CancellationToken.None)));

    /// <summary>Makes each kind's store and its informers (one per watched namespace, one for a cluster-scoped kind).</summary>
    private sealed class Watching(
        IKubernetes client,
        ImmutableArray<string?> namespaces,
        KubernetesSourceOptions options,
        TimeProvider time,
        IRandomSource random,
        ILogger logger,
        List<(Func<Action, CancellationToken, Task> Run, Func<InformerStatus> Status)> informers,
        ReferencedConfigMaps referenced,
        Action refreshReferences) : IKindVisitor<IKindStore>
    {
        public IKindStore Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta>
        {
            var store = new KindStore<T>(kind);
            if (kind.Name == KubeKinds.ConfigMap)
            {
                // Only the named maps, each by its own informer: a namespace's other ConfigMaps never arrive.
                foreach (var map in options.ConfigMaps.Distinct())
                {
                    var one = new Informer<T>((KindApi<T>)(object)KubernetesKinds.ConfigMap(client, map), map.Namespace, store, options.Informers, time, random, logger);
                    informers.Add((Refreshing(one.RunAsync), () => one.Status));
                }

                // And the CA bundles BackendTLSPolicies name (maps with ca.crt) and the header maps ingress-nginx's
                // settings name, into the same store; a newly named map makes them list again.
                foreach (var ns in namespaces)
                {
                    var cas = new Informer<T>((KindApi<T>)(object)KubernetesKinds.CaConfigMaps(client, referenced.Contains), ns, store, options.Informers, time, random, logger);
                    referenced.OnGrown(cas.RequestRelist);
                    informers.Add((cas.RunAsync, () => cas.Status));
                }

                return store;
            }

            if (kind.Name == KubeKinds.Pod && !options.Pods)
            {
                return store;
            }

            // Secrets come from two lists into one store: TLS certificates, and htpasswd files (basic authentication) and CA bundles (proxy-ssl-secret).
            KindApi<T>[] apis = kind.Name == KubeKinds.Secret
                ? [KubernetesKinds.Api(client, kind), (KindApi<T>)(object)KubernetesKinds.HtpasswdSecrets(client)]
                : [KubernetesKinds.Api(client, kind)];
            foreach (var api in apis)
            {
                foreach (var ns in kind.ClusterScoped ? [null] : namespaces)
                {
                    var informer = new Informer<T>(api, ns, store, options.Informers, time, random, logger);
                    informers.Add((kind.Name == KubeKinds.Ingress ? Refreshing(informer.RunAsync) : informer.RunAsync, () => informer.Status));
                }
            }

            return store;
        }

        /// <summary>An informer run whose changes first refresh the referenced ConfigMaps (the Ingresses', the controller maps').</summary>
        private Func<Action, CancellationToken, Task> Refreshing(Func<Action, CancellationToken, Task> run) =>
            (changed, ct) => run(
                () =>
                {
                    refreshReferences();
                    changed();
                },
                ct);
    }

    private static ImmutableArray<Diagnostic> Diagnostics(ImmutableArray<InformerStatus> kinds)
    {
        var origin = new ObjectOrigin(SourceName);
        var notInstalled = kinds.Where(k => k.NotInstalled).Select(k => k.Kind).Distinct().ToList();
        var absent = notInstalled.Count == 0 ? [] : new[]
        {
            Diagnostic.Info(
                DiagnosticCodes.KindNotInstalled,
                $"the API server does not serve {string.Join(", ", notInstalled)} (their CRDs are not installed): none are routed; install the Gateway API CRDs to use them (docs/gateway-api.md)",
                origin: origin),
        };
        return [.. absent, .. kinds.Where(k => k.LastError is not null).Select(k => k.Forbidden
            ? Diagnostic.Error(DiagnosticCodes.Forbidden, k.LastError!, origin: origin, field: k.Kind)
            : Diagnostic.Warning(
                DiagnosticCodes.ApiUnavailable,
                k.LastSync is { } at
                    ? $"{k.Kind}s{(k.Namespace is null ? string.Empty : $" in {k.Namespace}")}: {k.LastError}; serving the state last seen at {at:u}"
                    : $"{k.Kind}s{(k.Namespace is null ? string.Empty : $" in {k.Namespace}")}: {k.LastError}; not listed yet",
                origin: origin,
                field: k.Kind))];
    }
}
