using System.Collections.Immutable;
using k8s.Models;

namespace OneHop.Core.State;

/// <summary>
/// Every Kubernetes object OneHop reads, by kind and key, as the sources last saw them. Immutable: a change
/// produces a new instance, so the translator always works on a consistent view.
/// </summary>
internal sealed record ClusterState
{
    public static readonly ClusterState Empty = new();

    public ImmutableDictionary<ObjectKey, V1Service> Services { get; init; } = ImmutableDictionary<ObjectKey, V1Service>.Empty;

    public ImmutableDictionary<ObjectKey, V1EndpointSlice> EndpointSlices { get; init; } = ImmutableDictionary<ObjectKey, V1EndpointSlice>.Empty;

    public ImmutableDictionary<ObjectKey, V1Ingress> Ingresses { get; init; } = ImmutableDictionary<ObjectKey, V1Ingress>.Empty;

    /// <summary>Cluster-scoped: keys have an empty namespace.</summary>
    public ImmutableDictionary<ObjectKey, V1IngressClass> IngressClasses { get; init; } = ImmutableDictionary<ObjectKey, V1IngressClass>.Empty;

    /// <summary>Only Secrets of type kubernetes.io/tls.</summary>
    public ImmutableDictionary<ObjectKey, V1Secret> Secrets { get; init; } = ImmutableDictionary<ObjectKey, V1Secret>.Empty;

    /// <summary>Cluster-scoped: keys have an empty namespace.</summary>
    public ImmutableDictionary<ObjectKey, V1Node> Nodes { get; init; } = ImmutableDictionary<ObjectKey, V1Node>.Empty;

    /// <summary>Where objects came from, when it differs from <see cref="DefaultOrigin"/>.</summary>
    public ImmutableDictionary<ObjectRef, ObjectOrigin> Origins { get; init; } = ImmutableDictionary<ObjectRef, ObjectOrigin>.Empty;

    public ObjectOrigin DefaultOrigin { get; init; } = ObjectOrigin.Kubernetes;

    public int Count =>
        Services.Count + EndpointSlices.Count + Ingresses.Count + IngressClasses.Count + Secrets.Count + Nodes.Count;

    public ObjectOrigin OriginOf(ObjectRef reference) =>
        Origins.TryGetValue(reference, out var origin) ? origin : DefaultOrigin;
}
