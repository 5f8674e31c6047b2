using k8s;
using k8s.Models;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// The apiVersion/kind pairs a manifest may hold, each with KubernetesClient's own YAML and JSON deserializers
/// for its model type.
/// </summary>
internal static class ManifestKinds
{
    private static readonly Dictionary<(string ApiVersion, string Kind), ManifestKind> Supported = new[]
    {
        Kind<V1Service>("v1", KubeKinds.Service, clusterScoped: false),
        Kind<V1EndpointSlice>("discovery.k8s.io/v1", KubeKinds.EndpointSlice, clusterScoped: false),
        Kind<V1Ingress>("networking.k8s.io/v1", KubeKinds.Ingress, clusterScoped: false),
        Kind<V1IngressClass>("networking.k8s.io/v1", KubeKinds.IngressClass, clusterScoped: true),
        Kind<V1Secret>("v1", KubeKinds.Secret, clusterScoped: false),
        Kind<V1Node>("v1", KubeKinds.Node, clusterScoped: true),
    }.ToDictionary(k => (k.ApiVersion, k.Kind));

    public static ManifestKind? Find(string apiVersion, string kind) =>
        Supported.TryGetValue((apiVersion, kind), out var k) ? k : null;

    /// <summary>The apiVersion OneHop reads for a kind it knows, when a manifest uses another one.</summary>
    public static string? SupportedVersionOf(string kind) =>
        Supported.Keys.Where(k => k.Kind == kind).Select(k => k.ApiVersion).FirstOrDefault();

    public static bool IsList(string apiVersion, string kind) => apiVersion == "v1" && kind == "List";

    private static ManifestKind Kind<T>(string apiVersion, string kind, bool clusterScoped)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(apiVersion, kind, clusterScoped, y => KubernetesYaml.Deserialize<T>(y), j => KubernetesJson.Deserialize<T>(j));
}
