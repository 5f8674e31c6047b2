using System.Collections;
using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace OneHop.Core.State;

/// <summary>
/// Every Kubernetes object OneHop reads, by kind and key, as the sources last saw them: one slot per kind of
/// <see cref="KindRegistry"/>. Immutable: a change produces a new instance, so the translator always works on a
/// consistent view. Two states are equal when every slot is the same dictionary instance (sources keep unchanged
/// slots), which makes the comparison cheap and exact for "did anything change".
/// </summary>
internal sealed record ClusterState
{
    public static readonly ClusterState Empty = new();

    private ImmutableArray<IEnumerable> _slots = [.. KindRegistry.All.Select(k => k.EmptySlot())];

    /// <summary>The objects of one kind.</summary>
    public ImmutableDictionary<ObjectKey, T> Of<T>(KubeKind<T> kind)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        (ImmutableDictionary<ObjectKey, T>)_slots[kind.Index];

    /// <summary>This state with the objects of one kind replaced.</summary>
    public ClusterState With<T>(KubeKind<T> kind, ImmutableDictionary<ObjectKey, T> objects)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        this with { _slots = _slots.SetItem(kind.Index, objects) };

    public ImmutableDictionary<ObjectKey, V1Service> Services
    {
        get => Of(KindRegistry.Service);
        init => _slots = _slots.SetItem(KindRegistry.Service.Index, value);
    }

    public ImmutableDictionary<ObjectKey, V1EndpointSlice> EndpointSlices
    {
        get => Of(KindRegistry.EndpointSlice);
        init => _slots = _slots.SetItem(KindRegistry.EndpointSlice.Index, value);
    }

    public ImmutableDictionary<ObjectKey, V1Ingress> Ingresses
    {
        get => Of(KindRegistry.Ingress);
        init => _slots = _slots.SetItem(KindRegistry.Ingress.Index, value);
    }

    /// <summary>Cluster-scoped: keys have an empty namespace.</summary>
    public ImmutableDictionary<ObjectKey, V1IngressClass> IngressClasses
    {
        get => Of(KindRegistry.IngressClass);
        init => _slots = _slots.SetItem(KindRegistry.IngressClass.Index, value);
    }

    /// <summary>Only Secrets of type kubernetes.io/tls.</summary>
    public ImmutableDictionary<ObjectKey, V1Secret> Secrets
    {
        get => Of(KindRegistry.Secret);
        init => _slots = _slots.SetItem(KindRegistry.Secret.Index, value);
    }

    /// <summary>Cluster-scoped: keys have an empty namespace.</summary>
    public ImmutableDictionary<ObjectKey, V1Node> Nodes
    {
        get => Of(KindRegistry.Node);
        init => _slots = _slots.SetItem(KindRegistry.Node.Index, value);
    }

    /// <summary>Pods, only when the readiness gate is on (empty otherwise).</summary>
    public ImmutableDictionary<ObjectKey, V1Pod> Pods
    {
        get => Of(KindRegistry.Pod);
        init => _slots = _slots.SetItem(KindRegistry.Pod.Index, value);
    }

    /// <summary>ingress-nginx's TCP and UDP services ConfigMaps (from the API, only the named ones).</summary>
    public ImmutableDictionary<ObjectKey, V1ConfigMap> ConfigMaps
    {
        get => Of(KindRegistry.ConfigMap);
        init => _slots = _slots.SetItem(KindRegistry.ConfigMap.Index, value);
    }

    /// <summary>Cluster-scoped: keys have an empty namespace.</summary>
    public ImmutableDictionary<ObjectKey, GatewayApi.GatewayClass> GatewayClasses
    {
        get => Of(KindRegistry.GatewayClass);
        init => _slots = _slots.SetItem(KindRegistry.GatewayClass.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.Gateway> Gateways
    {
        get => Of(KindRegistry.Gateway);
        init => _slots = _slots.SetItem(KindRegistry.Gateway.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.HttpRoute> HttpRoutes
    {
        get => Of(KindRegistry.HttpRoute);
        init => _slots = _slots.SetItem(KindRegistry.HttpRoute.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.GrpcRoute> GrpcRoutes
    {
        get => Of(KindRegistry.GrpcRoute);
        init => _slots = _slots.SetItem(KindRegistry.GrpcRoute.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.TcpRoute> TcpRoutes
    {
        get => Of(KindRegistry.TcpRoute);
        init => _slots = _slots.SetItem(KindRegistry.TcpRoute.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.UdpRoute> UdpRoutes
    {
        get => Of(KindRegistry.UdpRoute);
        init => _slots = _slots.SetItem(KindRegistry.UdpRoute.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.TlsRoute> TlsRoutes
    {
        get => Of(KindRegistry.TlsRoute);
        init => _slots = _slots.SetItem(KindRegistry.TlsRoute.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.ReferenceGrant> ReferenceGrants
    {
        get => Of(KindRegistry.ReferenceGrant);
        init => _slots = _slots.SetItem(KindRegistry.ReferenceGrant.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.BackendTlsPolicy> BackendTlsPolicies
    {
        get => Of(KindRegistry.BackendTlsPolicy);
        init => _slots = _slots.SetItem(KindRegistry.BackendTlsPolicy.Index, value);
    }

    public ImmutableDictionary<ObjectKey, GatewayApi.ListenerSet> ListenerSets
    {
        get => Of(KindRegistry.ListenerSet);
        init => _slots = _slots.SetItem(KindRegistry.ListenerSet.Index, value);
    }

    /// <summary>Cluster-scoped: keys have an empty namespace.</summary>
    public ImmutableDictionary<ObjectKey, V1Namespace> Namespaces
    {
        get => Of(KindRegistry.Namespace);
        init => _slots = _slots.SetItem(KindRegistry.Namespace.Index, value);
    }

    /// <summary>Where objects came from, when it differs from <see cref="DefaultOrigin"/>.</summary>
    public ImmutableDictionary<ObjectRef, ObjectOrigin> Origins { get; init; } = ImmutableDictionary<ObjectRef, ObjectOrigin>.Empty;

    public ObjectOrigin DefaultOrigin { get; init; } = ObjectOrigin.Kubernetes;

    public int Count => _slots.Sum(s => ((ICollection)s).Count);

    public ObjectOrigin OriginOf(ObjectRef reference) =>
        Origins.TryGetValue(reference, out var origin) ? origin : DefaultOrigin;

    public bool Equals(ClusterState? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || !ReferenceEquals(Origins, other.Origins) || DefaultOrigin != other.DefaultOrigin)
        {
            return false;
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            if (!ReferenceEquals(_slots[i], other._slots[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode() => Count;
}
