using System.Text.Json.Serialization;
using k8s;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// Generated JSON metadata for what KubernetesClient reads that its own generated context lacks: the bare object a
/// watch line is first read as (to tell a Status from an event), and the untyped answer of its custom-object calls.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubernetesObject))]
[JsonSerializable(typeof(object))]
internal sealed partial class KubernetesClientJsonContext : JsonSerializerContext;
