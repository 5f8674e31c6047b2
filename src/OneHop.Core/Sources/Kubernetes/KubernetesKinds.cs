using k8s;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// The list and watch calls of every kind in <see cref="KindRegistry"/>, all through KubernetesClient's generated
/// operations. Secrets are filtered on the server to type kubernetes.io/tls, and Opaque ones kept only with an htpasswd
/// file under <c>auth</c> or a CA bundle under <c>ca.crt</c>: OneHop holds no other secrets.
/// </summary>
internal static class KubernetesKinds
{
    private static readonly string TlsOnly = KindRegistry.Secret.FieldSelector!;

    /// <summary>The list and watch calls for <paramref name="kind"/>.</summary>
    public static KindApi<T> Api<T>(IKubernetes client, KubeKind<T> kind)
        where T : class, IKubernetesObject<V1ObjectMeta> => (KindApi<T>)(object)(kind.Name switch
        {
            KubeKinds.Service => Services(client),
            KubeKinds.EndpointSlice => EndpointSlices(client),
            KubeKinds.Ingress => Ingresses(client),
            KubeKinds.IngressClass => IngressClasses(client),
            KubeKinds.Secret => TlsSecrets(client),
            KubeKinds.Node => Nodes(client),
            KubeKinds.Namespace => Namespaces(client),
            KubeKinds.Pod => Pods(client),
            KubeKinds.GatewayClass or KubeKinds.Gateway or KubeKinds.HttpRoute or KubeKinds.GrpcRoute or KubeKinds.TcpRoute or KubeKinds.UdpRoute or KubeKinds.TlsRoute or KubeKinds.ReferenceGrant or KubeKinds.BackendTlsPolicy or KubeKinds.ListenerSet => Custom(client, kind),
            KubeKinds.ConfigMap => throw new NotSupportedException($"ConfigMaps are listed one by one: {nameof(ConfigMap)}"),
            _ => throw new NotSupportedException($"{kind.Name} is in the kind registry without list and watch calls; add them to {nameof(KubernetesKinds)}"),
        });

    public static KindApi<V1Service> Services(IKubernetes client) => new(
        KubeKinds.Service,
        ClusterScoped: false,
        async (ns, next, limit, ct) => Page(ns is null
            ? await client.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)
            : await client.CoreV1.ListNamespacedServiceAsync(ns, continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (ns, rv, timeout, onError, ct) => ns is null
            ? client.CoreV1.WatchListServiceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedServiceAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static KindApi<V1EndpointSlice> EndpointSlices(IKubernetes client) => new(
        KubeKinds.EndpointSlice,
        ClusterScoped: false,
        async (ns, next, limit, ct) => Page(ns is null
            ? await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)
            : await client.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (ns, rv, timeout, onError, ct) => ns is null
            ? client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static KindApi<V1Ingress> Ingresses(IKubernetes client) => new(
        KubeKinds.Ingress,
        ClusterScoped: false,
        async (ns, next, limit, ct) => Page(ns is null
            ? await client.NetworkingV1.ListIngressForAllNamespacesAsync(continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)
            : await client.NetworkingV1.ListNamespacedIngressAsync(ns, continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (ns, rv, timeout, onError, ct) => ns is null
            ? client.NetworkingV1.WatchListIngressForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.NetworkingV1.WatchListNamespacedIngressAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static KindApi<V1IngressClass> IngressClasses(IKubernetes client) => new(
        KubeKinds.IngressClass,
        ClusterScoped: true,
        async (_, next, limit, ct) => Page(await client.NetworkingV1.ListIngressClassAsync(continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (_, rv, timeout, onError, ct) => client.NetworkingV1.WatchListIngressClassAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static KindApi<V1Secret> TlsSecrets(IKubernetes client) =>
        Secrets(client, TlsOnly, s => s.Type == KubeKinds.TlsSecretType);

    /// <summary>
    /// Opaque Secrets, of which only those with an htpasswd file under <c>auth</c> or a <c>ca.crt</c> are kept (ingress-nginx's
    /// <c>auth-secret</c>); the others are dropped as they arrive. The API server cannot filter on a data key.
    /// </summary>
    public static KindApi<V1Secret> HtpasswdSecrets(IKubernetes client) =>
        Secrets(client, "type=Opaque", s => s.Type != KubeKinds.TlsSecretType && KubeKinds.IsServed(s));

    private static KindApi<V1Secret> Secrets(IKubernetes client, string fieldSelector, Func<V1Secret, bool> keeps) => new(
        KubeKinds.Secret,
        ClusterScoped: false,
        async (ns, next, limit, ct) => Page(ns is null
            ? await client.CoreV1.ListSecretForAllNamespacesAsync(continueParameter: next, fieldSelector: fieldSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false)
            : await client.CoreV1.ListNamespacedSecretAsync(ns, continueParameter: next, fieldSelector: fieldSelector, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (ns, rv, timeout, onError, ct) => ns is null
            ? client.CoreV1.WatchListSecretForAllNamespacesAsync(allowWatchBookmarks: true, fieldSelector: fieldSelector, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedSecretAsync(ns, allowWatchBookmarks: true, fieldSelector: fieldSelector, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct))
    {
        Keeps = keeps,
    };

    public static KindApi<V1Node> Nodes(IKubernetes client) => new(
        KubeKinds.Node,
        ClusterScoped: true,
        async (_, next, limit, ct) => Page(await client.CoreV1.ListNodeAsync(continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (_, rv, timeout, onError, ct) => client.CoreV1.WatchListNodeAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static KindApi<V1Pod> Pods(IKubernetes client) => new(
        KubeKinds.Pod,
        ClusterScoped: false,
        async (ns, next, limit, ct) => Page(ns is null
            ? await client.CoreV1.ListPodForAllNamespacesAsync(continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)
            : await client.CoreV1.ListNamespacedPodAsync(ns, continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (ns, rv, timeout, onError, ct) => ns is null
            ? client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedPodAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    public static KindApi<V1Namespace> Namespaces(IKubernetes client) => new(
        KubeKinds.Namespace,
        ClusterScoped: true,
        async (_, next, limit, ct) => Page(await client.CoreV1.ListNamespaceAsync(continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (_, rv, timeout, onError, ct) => client.CoreV1.WatchListNamespaceAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct));

    /// <summary>
    /// A custom resource kind (Gateway API), through KubernetesClient's generic custom-object calls: KubernetesClient has
    /// no typed operations for CRDs, and these give the same list pages and watch events the typed ones do.
    /// </summary>
    public static KindApi<T> Custom<T>(IKubernetes client, KubeKind<T> kind)
        where T : class, IKubernetesObject<V1ObjectMeta> => new(
        kind.Name,
        kind.ClusterScoped,
        async (ns, next, limit, ct) => Page(ns is null
            ? await client.CustomObjects.ListClusterCustomObjectAsync<CustomList<T>>(kind.Group, kind.Version, kind.Plural, continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomList<T>>(kind.Group, kind.Version, ns, kind.Plural, continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (ns, rv, timeout, onError, ct) => (ns is null
            ? client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<CustomList<T>>(kind.Group, kind.Version, kind.Plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: ct)
            : client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<CustomList<T>>(kind.Group, kind.Version, ns, kind.Plural, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, watch: true, cancellationToken: ct))
            .WatchTyped<T>(onError, ct));

    // KubernetesClient's typed watch of a LIST response: marked obsolete in favour of WatchList*CustomObjectAsync, but
    // those yield untyped objects; this one yields T as every built-in kind's watch does.
#pragma warning disable CS0618
    private static IAsyncEnumerable<(WatchEventType, T)> WatchTyped<T>(this Task<k8s.Autorest.HttpOperationResponse<CustomList<T>>> response, Action<Exception> onError, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta> => response.WatchAsync<T, CustomList<T>>(onError, ct);
#pragma warning restore CS0618

    /// <summary>One ConfigMap, by a field selector on its name: OneHop reads only the maps it is told to.</summary>
    public static KindApi<V1ConfigMap> ConfigMap(IKubernetes client, ObjectKey map)
    {
        var byName = $"metadata.name={map.Name}";
        return new(
            KubeKinds.ConfigMap,
            ClusterScoped: false,
            async (_, next, limit, ct) => Page(await client.CoreV1.ListNamespacedConfigMapAsync(map.Namespace, continueParameter: next, fieldSelector: byName, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
            (_, rv, timeout, onError, ct) => client.CoreV1.WatchListNamespacedConfigMapAsync(map.Namespace, allowWatchBookmarks: true, fieldSelector: byName, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct))
        {
            Name = map.Name,
        };
    }

    /// <summary>
    /// ConfigMaps holding a CA bundle under <c>ca.crt</c>, which BackendTLSPolicies name, and those <paramref name="referenced"/>
    /// keeps (the header maps ingress-nginx's annotations and controller ConfigMap name); the others are dropped as they
    /// arrive (the API server cannot filter on a data key), so OneHop holds no other ConfigMap's data.
    /// </summary>
    public static KindApi<V1ConfigMap> CaConfigMaps(IKubernetes client, Func<V1ConfigMap, bool>? referenced = null) => new(
        KubeKinds.ConfigMap,
        ClusterScoped: false,
        async (ns, next, limit, ct) => Page(ns is null
            ? await client.CoreV1.ListConfigMapForAllNamespacesAsync(continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)
            : await client.CoreV1.ListNamespacedConfigMapAsync(ns, continueParameter: next, limit: limit, cancellationToken: ct).ConfigureAwait(false)),
        (ns, rv, timeout, onError, ct) => ns is null
            ? client.CoreV1.WatchListConfigMapForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct)
            : client.CoreV1.WatchListNamespacedConfigMapAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, timeoutSeconds: timeout, onError: onError, cancellationToken: ct))
    {
        Keeps = m => m.Data?.ContainsKey(KubeKinds.CaBundleKey) == true || referenced?.Invoke(m) == true,
    };

    private static KindPage<T> Page<T>(IKubernetesObject<V1ListMeta> list, IList<T> items) =>
        new(items, string.IsNullOrEmpty(list.Metadata?.ContinueProperty) ? null : list.Metadata.ContinueProperty, list.Metadata?.ResourceVersion ?? string.Empty);

    private static KindPage<T> Page<T>(CustomList<T> list) => Page(list, list.Items ?? []);

    private static KindPage<V1Service> Page(V1ServiceList list) => Page(list, list.Items);

    private static KindPage<V1EndpointSlice> Page(V1EndpointSliceList list) => Page(list, list.Items);

    private static KindPage<V1Ingress> Page(V1IngressList list) => Page(list, list.Items);

    private static KindPage<V1IngressClass> Page(V1IngressClassList list) => Page(list, list.Items);

    private static KindPage<V1Secret> Page(V1SecretList list) => Page(list, list.Items);

    private static KindPage<V1Node> Page(V1NodeList list) => Page(list, list.Items);

    private static KindPage<V1Namespace> Page(V1NamespaceList list) => Page(list, list.Items);

    private static KindPage<V1Pod> Page(V1PodList list) => Page(list, list.Items);

    private static KindPage<V1ConfigMap> Page(V1ConfigMapList list) => Page(list, list.Items);
}
