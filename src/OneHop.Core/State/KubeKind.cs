using System.Collections;
using k8s;
using k8s.Models;

namespace OneHop.Core.State;

/// <summary>
/// One Kubernetes kind OneHop reads: its names in the API, its scope, its KubernetesClient model type and
/// deserializers, and its slot in <see cref="ClusterState"/>. Every source and the state itself are driven by the
/// list in <see cref="KindRegistry"/>, so a new kind is an entry there (plus its list and watch calls when
/// KubernetesClient has typed ones) rather than an edit in every source.
/// </summary>
internal abstract class KubeKind(int index, string name, string group, string version, string plural, bool clusterScoped)
{
    /// <summary>The slot in <see cref="ClusterState"/>: the kind's position in <see cref="KindRegistry.All"/>.</summary>
    public int Index { get; } = index;

    /// <summary>The kind as the API names it, e.g. <c>EndpointSlice</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The API group; empty for the core group.</summary>
    public string Group { get; } = group;

    public string Version { get; } = version;

    /// <summary>The resource name in URLs, e.g. <c>endpointslices</c>.</summary>
    public string Plural { get; } = plural;

    /// <summary>Cluster-scoped objects have no namespace; they are listed and watched once.</summary>
    public bool ClusterScoped { get; } = clusterScoped;

    /// <summary>The apiVersion field of its objects, e.g. <c>discovery.k8s.io/v1</c> or <c>v1</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Other served versions with the same schema (Gateway API's v1beta1 beside v1), accepted in manifests.</summary>
    public IReadOnlyList<string> OtherVersions { get; init; } = [];

    /// <summary>True for this kind's apiVersion or one of its <see cref="OtherVersions"/>.</summary>
    public bool Accepts(string apiVersion) =>
        apiVersion == ApiVersion || OtherVersions.Any(v => apiVersion == (Group.Length == 0 ? v : $"{Group}/{v}"));

    /// <summary>A field selector the API server applies to lists and watches, so unwanted objects never arrive.</summary>
    public string? FieldSelector { get; init; }

    public abstract IKubernetesObject<V1ObjectMeta> FromYaml(string yaml);

    public abstract IKubernetesObject<V1ObjectMeta> FromJson(string json);

    /// <summary>From a YAML object's JSON form (every scalar a string), as a Native AOT build reads manifests: <see cref="YamlObjectJson"/>.</summary>
    public abstract IKubernetesObject<V1ObjectMeta> FromYamlJson(string json);

    /// <summary>Null when OneHop keeps <paramref name="obj"/>; otherwise what it is, for the log line that skips it.</summary>
    public abstract string? Skips(IKubernetesObject<V1ObjectMeta> obj);

    public abstract TResult Accept<TResult>(IKindVisitor<TResult> visitor);

    /// <summary>An empty slot of this kind, for a new <see cref="ClusterState"/>.</summary>
    internal abstract IEnumerable EmptySlot();

    public override string ToString() => Name;
}
