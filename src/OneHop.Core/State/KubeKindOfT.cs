using System.Collections;
using System.Collections.Immutable;
using k8s;
using k8s.Models;

namespace OneHop.Core.State;

/// <summary>A <see cref="KubeKind"/> with its model type.</summary>
internal sealed class KubeKind<T>(int index, string name, string group, string version, string plural, bool clusterScoped, Func<T, string?>? skips = null)
    : KubeKind(index, name, group, version, plural, clusterScoped)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public override IKubernetesObject<V1ObjectMeta> FromYaml(string yaml) => KubernetesYaml.Deserialize<T>(yaml);

    public override IKubernetesObject<V1ObjectMeta> FromJson(string json) => KubernetesJson.Deserialize<T>(json);

    public override IKubernetesObject<V1ObjectMeta> FromYamlJson(string json) => YamlObjectJson.Deserialize<T>(json);

    public override string? Skips(IKubernetesObject<V1ObjectMeta> obj) => obj is T typed ? skips?.Invoke(typed) : $"not a {Name}";

    public override TResult Accept<TResult>(IKindVisitor<TResult> visitor) => visitor.Visit(this);

    internal override IEnumerable EmptySlot() => ImmutableDictionary<ObjectKey, T>.Empty;
}
