using System.Collections.Immutable;
using k8s;
using k8s.Models;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Sources;

/// <summary>
/// Collects objects from one or more sources into a <see cref="ClusterState"/>. The first definition of an
/// object wins; a second one is reported, never silently merged.
/// </summary>
internal sealed class ClusterStateBuilder
{
    private readonly Dictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>>[] _slots = [.. KindRegistry.All.Select(_ => new Dictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>>())];
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
        foreach (var kind in KindRegistry.All)
        {
            foreach (var obj in kind.Accept(new ObjectsOf(state)))
            {
                Add(obj, state.OriginOf(RefOf(obj)));
            }
        }
    }

    /// <summary>Adds an object of a kind OneHop reads; returns false (and reports) when it is a duplicate.</summary>
    public bool Add(IKubernetesObject<V1ObjectMeta> obj, ObjectOrigin origin)
    {
        var kind = KindRegistry.Of(obj) ?? throw new ArgumentException($"Unsupported kind {obj.Kind}", nameof(obj));
        var reference = RefOf(obj);
        var slot = _slots[kind.Index];
        if (slot.ContainsKey(reference.Key))
        {
            var first = _origins.TryGetValue(reference, out var o) ? o : DefaultOrigin;
            _diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.DuplicateObject,
                $"{reference} is defined more than once; the definition from {first} is used",
                reference,
                origin));
            return false;
        }

        slot.Add(reference.Key, obj);
        if (!ReferenceEquals(origin, DefaultOrigin) && origin != DefaultOrigin)
        {
            _origins[reference] = origin;
        }

        return true;
    }

    public ClusterState Build()
    {
        var state = new ClusterState { Origins = _origins.ToImmutable(), DefaultOrigin = DefaultOrigin };
        foreach (var kind in KindRegistry.All)
        {
            state = kind.Accept(new Fill(state, _slots[kind.Index]));
        }

        return state;
    }

    public static ObjectRef RefOf(IKubernetesObject<V1ObjectMeta> obj) =>
        new(KindRegistry.Of(obj)?.Name ?? obj.Kind ?? obj.GetType().Name, obj.Metadata?.NamespaceProperty ?? string.Empty, obj.Metadata?.Name ?? string.Empty);

    private sealed class ObjectsOf(ClusterState state) : IKindVisitor<IEnumerable<IKubernetesObject<V1ObjectMeta>>>
    {
        public IEnumerable<IKubernetesObject<V1ObjectMeta>> Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta> => state.Of(kind).Values;
    }

    private sealed class Fill(ClusterState state, Dictionary<ObjectKey, IKubernetesObject<V1ObjectMeta>> objects) : IKindVisitor<ClusterState>
    {
        public ClusterState Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta> =>
            objects.Count == 0 ? state : state.With(kind, objects.ToImmutableDictionary(p => p.Key, p => (T)p.Value));
    }
}
