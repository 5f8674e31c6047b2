using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>A LIST of custom resources as the API server returns it: KubernetesClient has list types only for built-in kinds.</summary>
internal sealed class CustomList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<T> Items { get; set; } = [];
}
