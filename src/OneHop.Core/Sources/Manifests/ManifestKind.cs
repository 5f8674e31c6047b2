using k8s;
using k8s.Models;

namespace OneHop.Core.Sources.Manifests;

/// <summary>One kind OneHop reads from manifests, with the library deserializers for it.</summary>
internal sealed record ManifestKind(
    string ApiVersion,
    string Kind,
    bool ClusterScoped,
    Func<string, IKubernetesObject<V1ObjectMeta>> FromYaml,
    Func<string, IKubernetesObject<V1ObjectMeta>> FromJson);
