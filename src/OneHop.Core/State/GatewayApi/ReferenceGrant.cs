using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>Lets objects of other namespaces refer to objects in this one (a route to a Service, a Gateway to a Secret).</summary>
public sealed class ReferenceGrant : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1beta1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ReferenceGrant";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ReferenceGrantSpec Spec { get; set; } = new();
}

public sealed class ReferenceGrantSpec
{
    [JsonPropertyName("from")]
    public IList<ReferenceGrantFrom>? From { get; set; }

    [JsonPropertyName("to")]
    public IList<ReferenceGrantTo>? To { get; set; }
}

public sealed class ReferenceGrantFrom
{
    [JsonPropertyName("group")]
    public string Group { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("namespace")]
    public string Namespace { get; set; } = string.Empty;
}

public sealed class ReferenceGrantTo
{
    [JsonPropertyName("group")]
    public string Group { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>One object by name; every object of the kind when unset.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}
