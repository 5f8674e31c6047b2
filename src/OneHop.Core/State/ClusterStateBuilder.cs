using System.Collections.Immutable;
using k8s;
using k8s.Models;
using OneHop.Core.Diagnostics;

namespace OneHop.Core.State;

/// <summary>
/// Collects objects from one or more sources into a <see cref="ClusterState"/>. The first definition of an
/// object wins; a second one is reported, never silently merged.
/// </summary>
internal sealed class ClusterStateBuilder
{
    private readonly ImmutableDictionary<ObjectKey, V1Service>.Builder _services = ImmutableDictionary.CreateBuilder<ObjectKey, V1Service>();
    private readonly ImmutableDictionary<ObjectKey, V1EndpointSlice>.Builder _slices = ImmutableDictionary.CreateBuilder<ObjectKey, V1EndpointSlice>();
    private readonly ImmutableDictionary<ObjectKey, V1Ingress>.Builder _ingresses = ImmutableDictionary.CreateBuilder<ObjectKey, V1Ingress>();
    private readonly ImmutableDictionary<ObjectKey, V1IngressClass>.Builder _classes = ImmutableDictionary.CreateBuilder<ObjectKey, V1IngressClass>();
    private readonly ImmutableDictionary<ObjectKey, V1Secret>.Builder _secrets = ImmutableDictionary.CreateBuilder<ObjectKey, V1Secret>();
    private readonly ImmutableDictionary<ObjectKey, V1Node>.Builder _nodes = ImmutableDictionary.CreateBuilder<ObjectKey, V1Node>();
    private readonly ImmutableDictionary<ObjectRef, ObjectOrigin>.Builder _origins = ImmutableDictionary.CreateBuilder<ObjectRef, ObjectOrigin>();
    private readonly List<Diagnostic> _diagnostics = [];

    public ClusterStateBuilder(ObjectOrigin defaultOrigin)
    {
        DefaultOrigin = defaultOrigin;
    }

    public ObjectOrigin DefaultOrigin { get; }

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Adds every object of <paramref name="state"/>, keeping each object's own origin.</summary>
    public void AddAll(ClusterState state)
    {
        foreach (var (_, o) in state.Services) { Add(o, state.OriginOf(RefOf(o))); }
        foreach (var (_, o) in state.EndpointSlices) { Add(o, state.OriginOf(RefOf(o))); }
        foreach (var (_, o) in state.Ingresses) { Add(o, state.OriginOf(RefOf(o))); }
        foreach (var (_, o) in state.IngressClasses) { Add(o, state.OriginOf(RefOf(o))); }
        foreach (var (_, o) in state.Secrets) { Add(o, state.OriginOf(RefOf(o))); }
        foreach (var (_, o) in state.Nodes) { Add(o, state.OriginOf(RefOf(o))); }
    }

    /// <summary>Adds a supported object; returns false (and reports) when it is a duplicate or unsupported.</summary>
    public bool Add(IKubernetesObject<V1ObjectMeta> obj, ObjectOrigin origin)
    {
        var added = obj switch
        {
            V1Service s => TryAdd(_services, s, origin),
            V1EndpointSlice s => TryAdd(_slices, s, origin),
            V1Ingress s => TryAdd(_ingresses, s, origin),
            V1IngressClass s => TryAdd(_classes, s, origin),
            V1Secret s => TryAdd(_secrets, s, origin),
            V1Node s => TryAdd(_nodes, s, origin),
            _ => throw new ArgumentException($"Unsupported kind {obj.Kind}", nameof(obj)),
        };
        return added;
    }

    public ClusterState Build() => new()
    {
        Services = _services.ToImmutable(),
        EndpointSlices = _slices.ToImmutable(),
        Ingresses = _ingresses.ToImmutable(),
        IngressClasses = _classes.ToImmutable(),
        Secrets = _secrets.ToImmutable(),
        Nodes = _nodes.ToImmutable(),
        Origins = _origins.ToImmutable(),
        DefaultOrigin = DefaultOrigin,
    };

    public static ObjectRef RefOf(IKubernetesObject<V1ObjectMeta> obj) =>
        new(KindOf(obj), obj.Metadata?.NamespaceProperty ?? string.Empty, obj.Metadata?.Name ?? string.Empty);

    private static string KindOf(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        V1Service => KubeKinds.Service,
        V1EndpointSlice => KubeKinds.EndpointSlice,
        V1Ingress => KubeKinds.Ingress,
        V1IngressClass => KubeKinds.IngressClass,
        V1Secret => KubeKinds.Secret,
        V1Node => KubeKinds.Node,
        _ => obj.Kind ?? obj.GetType().Name,
    };

    private bool TryAdd<T>(ImmutableDictionary<ObjectKey, T>.Builder map, T obj, ObjectOrigin origin)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var reference = RefOf(obj);
        if (map.ContainsKey(reference.Key))
        {
            var first = _origins.TryGetValue(reference, out var o) ? o : DefaultOrigin;
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.DuplicateObject,
                $"{reference} is defined more than once; the definition from {first} is used",
                reference,
                origin));
            return false;
        }

        map.Add(reference.Key, obj);
        if (!ReferenceEquals(origin, DefaultOrigin) && origin != DefaultOrigin)
        {
            _origins[reference] = origin;
        }

        return true;
    }
}
