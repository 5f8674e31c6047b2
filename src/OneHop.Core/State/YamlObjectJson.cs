using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.State;

/// <summary>
/// Reads a Kubernetes object from the JSON form of a YAML document (every scalar a string, nulls as null), the way a
/// Native AOT build reads manifests: KubernetesClient's <c>KubernetesYaml</c> cannot start there (it orders properties
/// by <c>MemberInfo.MetadataToken</c>, which Native AOT does not have). KubernetesClient's own JSON settings (its
/// source-generated models, date and IntOrString converters, camelCase) plus what a YAML scalar needs: numbers and
/// booleans from strings, and the Gateway API kinds' generated metadata ahead of the reflection fallback.
/// </summary>
internal static class YamlObjectJson
{
    private static readonly JsonSerializerOptions Options = Create();

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize(json, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)))!;

    private static JsonSerializerOptions Create()
    {
        JsonSerializerOptions? kubernetes = null;
        KubernetesJson.AddJsonOptions(o => kubernetes = o); // read only: KubernetesClient keeps its options internal
        var options = new JsonSerializerOptions(kubernetes!)
        {
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Insert(0, new YamlScalarBoolConverter());
        options.TypeInfoResolverChain.Insert(0, GatewayApiJsonContext.Default);
        return options;
    }
}
