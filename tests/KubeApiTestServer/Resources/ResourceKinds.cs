using System.Collections.Frozen;
using k8s.Models;
using OneHop.Core.State.GatewayApi;

namespace KubeApiTestServer.Resources;

/// <summary>The registry of served kinds (contract section 1) and their strategies (section 5).</summary>
internal static class ResourceKinds
{
    public static readonly ResourceKind Service = new()
    {
        Id = KubeKind.Service,
        Kind = "Service",
        Group = "",
        Version = "v1",
        Plural = "services",
        Namespaced = true,
        ClrType = typeof(V1Service),
        HasStatusSubresource = true,
        Generation = GenerationPolicy.Spec,
        ReturnDeletedObject = true,
        SelectableFields = ["metadata.name", "metadata.namespace", "spec.clusterIP", "spec.type"],
        FieldSelectorStyle = FieldSelectorStyle.LabelNotSupported,
    };

    public static readonly ResourceKind Secret = new()
    {
        Id = KubeKind.Secret,
        Kind = "Secret",
        Group = "",
        Version = "v1",
        Plural = "secrets",
        Namespaced = true,
        ClrType = typeof(V1Secret),
        SelectableFields = ["metadata.name", "metadata.namespace", "type"],
        FieldSelectorStyle = FieldSelectorStyle.LabelNotSupported,
    };

    public static readonly ResourceKind ConfigMap = new()
    {
        Id = KubeKind.ConfigMap,
        Kind = "ConfigMap",
        Group = "",
        Version = "v1",
        Plural = "configmaps",
        Namespaced = true,
        ClrType = typeof(V1ConfigMap),
        SelectableFields = ["metadata.name", "metadata.namespace"],
        FieldSelectorStyle = FieldSelectorStyle.LabelNotSupported,
    };

    public static readonly ResourceKind Namespace = new()
    {
        Id = KubeKind.Namespace,
        Kind = "Namespace",
        Group = "",
        Version = "v1",
        Plural = "namespaces",
        Namespaced = false,
        ClrType = typeof(V1Namespace),
        Generation = GenerationPolicy.Spec,
        ReturnDeletedObject = true,
        SelectableFields = ["metadata.name", "status.phase"],
        FieldSelectorStyle = FieldSelectorStyle.LabelNotSupported,
    };

    public static readonly ResourceKind Node = new()
    {
        Id = KubeKind.Node,
        Kind = "Node",
        Group = "",
        Version = "v1",
        Plural = "nodes",
        Namespaced = false,
        ClrType = typeof(V1Node),
        Generation = GenerationPolicy.Spec,
        SelectableFields = ["metadata.name", "spec.unschedulable"],
        FieldSelectorStyle = FieldSelectorStyle.LabelNotSupported,
    };

    /// <summary>Pods: spec.nodeName and status.phase are selectable, as on the real server (a subset of its fields).</summary>
    public static readonly ResourceKind Pod = new()
    {
        Id = KubeKind.Pod,
        Kind = "Pod",
        Group = "",
        Version = "v1",
        Plural = "pods",
        Namespaced = true,
        ClrType = typeof(V1Pod),
        HasStatusSubresource = true,
        Generation = GenerationPolicy.Spec,
        SelectableFields = ["metadata.name", "metadata.namespace", "spec.nodeName", "status.phase", "status.podIP"],
        FieldSelectorStyle = FieldSelectorStyle.LabelNotSupported,
    };

    public static readonly ResourceKind EndpointSlice = new()
    {
        Id = KubeKind.EndpointSlice,
        Kind = "EndpointSlice",
        Group = "discovery.k8s.io",
        Version = "v1",
        Plural = "endpointslices",
        Namespaced = true,
        ClrType = typeof(V1EndpointSlice),
        Generation = GenerationPolicy.NonMetadata,
    };

    public static readonly ResourceKind Ingress = new()
    {
        Id = KubeKind.Ingress,
        Kind = "Ingress",
        Group = "networking.k8s.io",
        Version = "v1",
        Plural = "ingresses",
        Namespaced = true,
        ClrType = typeof(V1Ingress),
        HasStatusSubresource = true,
        Generation = GenerationPolicy.Spec,
    };

    public static readonly ResourceKind IngressClass = new()
    {
        Id = KubeKind.IngressClass,
        Kind = "IngressClass",
        Group = "networking.k8s.io",
        Version = "v1",
        Plural = "ingressclasses",
        Namespaced = false,
        ClrType = typeof(V1IngressClass),
        Generation = GenerationPolicy.Spec,
    };

    public static readonly ResourceKind Lease = new()
    {
        Id = KubeKind.Lease,
        Kind = "Lease",
        Group = "coordination.k8s.io",
        Version = "v1",
        Plural = "leases",
        Namespaced = true,
        ClrType = typeof(V1Lease),
        Generation = GenerationPolicy.Spec,
        AllowUnconditionalUpdate = false,
        AllowCreateOnUpdate = true,
    };

    /// <summary>
    /// The registry's Event strategy: no generation, create on update and unconditional update allowed, and the field
    /// selectors of the <c>events.k8s.io/v1</c> field label conversion (<c>regarding.*</c> for <c>involvedObject.*</c>).
    /// </summary>
    public static readonly ResourceKind Event = new()
    {
        Id = KubeKind.Event,
        Kind = "Event",
        Group = "events.k8s.io",
        Version = "v1",
        Plural = "events",
        Namespaced = true,
        ClrType = typeof(Eventsv1Event),
        AllowCreateOnUpdate = true,
        SelectableFields =
        [
            "metadata.name", "metadata.namespace", "regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
            "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath", "reason", "reportingController", "type",
        ],
        FieldSelectorStyle = FieldSelectorStyle.LabelNotSupported,
    };

    public static readonly ResourceKind GatewayClass = GatewayApiKind(KubeKind.GatewayClass, "GatewayClass", "v1", "gatewayclasses", typeof(GatewayClass), namespaced: false, status: true);

    public static readonly ResourceKind Gateway = GatewayApiKind(KubeKind.Gateway, "Gateway", "v1", "gateways", typeof(Gateway), namespaced: true, status: true);

    public static readonly ResourceKind HttpRoute = GatewayApiKind(KubeKind.HttpRoute, "HTTPRoute", "v1", "httproutes", typeof(HttpRoute), namespaced: true, status: true);

    public static readonly ResourceKind GrpcRoute = GatewayApiKind(KubeKind.GrpcRoute, "GRPCRoute", "v1", "grpcroutes", typeof(GrpcRoute), namespaced: true, status: true);

    public static readonly ResourceKind TcpRoute = GatewayApiKind(KubeKind.TcpRoute, "TCPRoute", "v1alpha2", "tcproutes", typeof(TcpRoute), namespaced: true, status: true);

    public static readonly ResourceKind UdpRoute = GatewayApiKind(KubeKind.UdpRoute, "UDPRoute", "v1alpha2", "udproutes", typeof(UdpRoute), namespaced: true, status: true);

    public static readonly ResourceKind TlsRoute = GatewayApiKind(KubeKind.TlsRoute, "TLSRoute", "v1alpha2", "tlsroutes", typeof(TlsRoute), namespaced: true, status: true);

    /// <summary>The only Gateway API kind of these whose CRD has no status subresource.</summary>
    public static readonly ResourceKind ReferenceGrant = GatewayApiKind(KubeKind.ReferenceGrant, "ReferenceGrant", "v1beta1", "referencegrants", typeof(ReferenceGrant), namespaced: true, status: false);

    public static readonly ResourceKind BackendTlsPolicy = GatewayApiKind(KubeKind.BackendTlsPolicy, "BackendTLSPolicy", "v1", "backendtlspolicies", typeof(BackendTlsPolicy), namespaced: true, status: true);

    public static readonly ResourceKind ListenerSet = GatewayApiKind(KubeKind.ListenerSet, "ListenerSet", "v1", "listenersets", typeof(ListenerSet), namespaced: true, status: true);

    public static readonly IReadOnlyList<ResourceKind> All =
        [Service, Secret, ConfigMap, Node, Namespace, Pod, EndpointSlice, Ingress, IngressClass, Lease, Event, GatewayClass, Gateway, HttpRoute, GrpcRoute, TcpRoute, UdpRoute, TlsRoute, ReferenceGrant, BackendTlsPolicy, ListenerSet];

    private static readonly FrozenDictionary<(string ApiVersion, string Plural), ResourceKind> ByPath =
        All.ToFrozenDictionary(k => (k.ApiVersion, k.Plural));

    private static readonly FrozenDictionary<Type, ResourceKind> ByType = All.ToFrozenDictionary(k => k.ClrType);

    private static readonly FrozenDictionary<KubeKind, ResourceKind> ById = All.ToFrozenDictionary(k => k.Id);

    /// <summary>
    /// A Gateway API kind with the strategy apiextensions gives every custom resource: no unconditional update (a PUT,
    /// also on /status, needs a resourceVersion), no create on update, a Success Status on delete, generation bumped by
    /// anything but metadata. Only one served version each: a real CRD also serves v1beta1 for the v1 kinds.
    /// </summary>
    private static ResourceKind GatewayApiKind(KubeKind id, string kind, string version, string plural, Type type, bool namespaced, bool status) => new()
    {
        Id = id,
        Kind = kind,
        Group = GatewayApiNames.Group,
        Version = version,
        Plural = plural,
        Namespaced = namespaced,
        ClrType = type,
        HasStatusSubresource = status,
        IsCustomResource = true,
        Generation = GenerationPolicy.AnyButMetadata,
        AllowUnconditionalUpdate = false,
    };

    public static ResourceKind? Find(string apiVersion, string plural) =>
        ByPath.GetValueOrDefault((apiVersion, plural));

    public static ResourceKind Get(KubeKind id) => ById[id];

    public static ResourceKind ForType(Type type) =>
        ByType.TryGetValue(type, out var kind)
            ? kind
            : throw new ArgumentException($"{type.Name} is not a kind the test API server serves.", nameof(type));
}
