using System.Collections.Frozen;
using k8s.Models;

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

    public static readonly IReadOnlyList<ResourceKind> All =
        [Service, Secret, Node, EndpointSlice, Ingress, IngressClass, Lease];

    private static readonly FrozenDictionary<(string ApiVersion, string Plural), ResourceKind> ByPath =
        All.ToFrozenDictionary(k => (k.ApiVersion, k.Plural));

    private static readonly FrozenDictionary<Type, ResourceKind> ByType = All.ToFrozenDictionary(k => k.ClrType);

    private static readonly FrozenDictionary<KubeKind, ResourceKind> ById = All.ToFrozenDictionary(k => k.Id);

    public static ResourceKind? Find(string apiVersion, string plural) =>
        ByPath.GetValueOrDefault((apiVersion, plural));

    public static ResourceKind Get(KubeKind id) => ById[id];

    public static ResourceKind ForType(Type type) =>
        ByType.TryGetValue(type, out var kind)
            ? kind
            : throw new ArgumentException($"{type.Name} is not a kind the test API server serves.", nameof(type));
}
