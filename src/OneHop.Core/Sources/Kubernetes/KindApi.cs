using k8s;
using k8s.Models;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>How to list and watch one kind through KubernetesClient: the only Kubernetes API calls an informer makes.</summary>
/// <param name="Kind">The kind's name, for logs, metrics and status.</param>
/// <param name="ClusterScoped">Cluster-scoped kinds are watched once, whatever namespaces are configured.</param>
/// <param name="List">One page: namespace (null for all), continue token, page size → items, continue token, list resourceVersion.</param>
/// <param name="Watch">A watch from a resourceVersion with bookmarks and a server-side timeout.</param>
internal sealed record KindApi<T>(
    string Kind,
    bool ClusterScoped,
    Func<string?, string?, int, CancellationToken, Task<KindPage<T>>> List,
    Func<string?, string, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> Watch)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The one object this API lists and watches (by a field selector on its name), or null for all of them.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The objects this API fills its store with, when two APIs share one store (TLS Secrets and htpasswd Secrets):
    /// others are dropped as they arrive, and a relist removes only these. Null for all the API returns.
    /// </summary>
    public Func<T, bool>? Keeps { get; init; }
}
