using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// The ConfigMaps that ingress-nginx's settings name by <c>NAMESPACE/NAME</c> — an Ingress's <c>custom-headers</c> and
/// <c>auth-proxy-set-headers</c>, the controller ConfigMap's <c>add-headers</c> and <c>proxy-set-headers</c> — so that
/// the ConfigMap informers keep them (and only them, besides CA bundles). Names are known only once the Ingresses and
/// the controller ConfigMap are read, and change while OneHop runs: when a new one appears the informers list again,
/// since its ConfigMap was dropped when it last arrived.
/// </summary>
internal sealed class ReferencedConfigMaps
{
    private static readonly string[] IngressKeys = ["nginx.ingress.kubernetes.io/custom-headers", "nginx.ingress.kubernetes.io/auth-proxy-set-headers"];
    private static readonly string[] ControllerKeys = ["add-headers", "proxy-set-headers"];

    private readonly Lock _lock = new();
    private readonly List<Action> _relists = [];
    private ImmutableHashSet<ObjectKey> _keys = [];

    /// <summary>What an informer that keeps these ConfigMaps calls to list again.</summary>
    public void OnGrown(Action relist)
    {
        lock (_lock)
        {
            _relists.Add(relist);
        }
    }

    public bool Contains(V1ConfigMap map) => Volatile.Read(ref _keys).Contains(new ObjectKey(map.Metadata?.NamespaceProperty ?? string.Empty, map.Metadata?.Name ?? string.Empty));

    /// <summary>
    /// Reads the names again from the stores as they are now; when one is new, the informers list again. Returns
    /// whether the set changed. The stores are read under the lock: the Ingress informer and the controller map's
    /// informer refresh from their own threads, and a set computed before the lock from one store's older state would
    /// overwrite the other's newer one (a named map then stays dropped until the next change).
    /// </summary>
    public bool Refresh(Func<IEnumerable<V1Ingress>> ingresses, Func<IEnumerable<V1ConfigMap>> controllerMaps)
    {
        List<Action> relists;
        lock (_lock)
        {
            var next = Of(ingresses(), controllerMaps());
            var previous = _keys;
            if (next.SetEquals(previous))
            {
                return false;
            }

            Volatile.Write(ref _keys, next);
            if (next.IsSubsetOf(previous))
            {
                return true;
            }

            relists = [.. _relists];
        }

        foreach (var relist in relists)
        {
            relist();
        }

        return true;
    }

    /// <summary>The ConfigMaps named by the Ingresses' custom-headers and auth-proxy-set-headers and the controller maps' add-headers and proxy-set-headers.</summary>
    public static ImmutableHashSet<ObjectKey> Of(IEnumerable<V1Ingress> ingresses, IEnumerable<V1ConfigMap> controllerMaps)
    {
        var keys = ImmutableHashSet.CreateBuilder<ObjectKey>();
        foreach (var ingress in ingresses)
        {
            foreach (var annotation in IngressKeys)
            {
                if (ingress.Metadata?.Annotations?.TryGetValue(annotation, out var name) == true && ObjectKey.ParseNamespaced(name?.Trim()) is { } key)
                {
                    keys.Add(key);
                }
            }
        }

        foreach (var map in controllerMaps)
        {
            foreach (var setting in ControllerKeys)
            {
                if (map.Data?.TryGetValue(setting, out var name) == true && ObjectKey.ParseNamespaced(name?.Trim()) is { } key)
                {
                    keys.Add(key);
                }
            }
        }

        return keys.ToImmutable();
    }
}
