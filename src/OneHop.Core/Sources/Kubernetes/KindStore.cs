using System.Collections.Immutable;
using k8s;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// The cached objects of one kind, shared by its informers (one per watched namespace). Every change builds a new
/// immutable dictionary, so readers get a consistent view without locks, and each method says whether anything
/// really changed — an object re-sent with the same resourceVersion is not a change.
/// </summary>
internal sealed class KindStore<T>(KubeKind<T> kind) : IKindStore
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private ImmutableDictionary<ObjectKey, T> _items = ImmutableDictionary<ObjectKey, T>.Empty;

    public ImmutableDictionary<ObjectKey, T> Items => Volatile.Read(ref _items);

    public ClusterState AddTo(ClusterState state) => state.With(kind, Items);

    public bool Upsert(T obj)
    {
        var key = KeyOf(obj);
        lock (_lock)
        {
            if (_items.TryGetValue(key, out var existing) && existing.Metadata.ResourceVersion == obj.Metadata.ResourceVersion)
            {
                return false;
            }

            Volatile.Write(ref _items, _items.SetItem(key, obj));
            return true;
        }
    }

    /// <param name="inScope">
    /// The scope of the informer that saw the object leave it (see <see cref="KindApi{T}.Keeps"/>): the stored copy is
    /// removed only when it was in that scope, so that a ConfigMap without <c>ca.crt</c> that another informer watches by
    /// name is not dropped by the CA bundles' informer. Null for any.
    /// </param>
    public bool Remove(T obj, Func<T, bool>? inScope = null)
    {
        lock (_lock)
        {
            var key = KeyOf(obj);
            if (inScope is not null && _items.TryGetValue(key, out var stored) && !inScope(stored))
            {
                return false;
            }

            var next = _items.Remove(key);
            if (ReferenceEquals(next, _items))
            {
                return false;
            }

            Volatile.Write(ref _items, next);
            return true;
        }
    }

    /// <summary>
    /// Replaces what a fresh list says is there (in one namespace, or everywhere when <paramref name="ns"/> is null),
    /// keeping unchanged objects as they were, so that a relist after 410 Gone disturbs nothing that did not change.
    /// With <paramref name="name"/>, only that object is in the list's scope (an informer watching one ConfigMap).
    /// </summary>
    /// <param name="keeps">The objects in the list's scope (see <see cref="KindApi{T}.Keeps"/>); null for all.</param>
    public bool Replace(string? ns, IEnumerable<T> items, string? name = null, Func<T, bool>? keeps = null)
    {
        items = keeps is null ? items : items.Where(keeps);
        lock (_lock)
        {
            var builder = _items.ToBuilder();
            var listed = new HashSet<ObjectKey>();
            var changed = false;
            foreach (var item in items)
            {
                var key = KeyOf(item);
                listed.Add(key);
                if (!builder.TryGetValue(key, out var existing) || existing.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                {
                    builder[key] = item;
                    changed = true;
                }
            }

            foreach (var key in _items.Keys)
            {
                if ((ns is null || key.Namespace == ns) && (name is null || key.Name == name) && (keeps is null || keeps(_items[key])) && !listed.Contains(key))
                {
                    builder.Remove(key);
                    changed = true;
                }
            }

            if (changed)
            {
                Volatile.Write(ref _items, builder.ToImmutable());
            }

            return changed;
        }
    }

    public static ObjectKey KeyOf(T obj) => new(obj.Metadata.NamespaceProperty ?? string.Empty, obj.Metadata.Name);
}
