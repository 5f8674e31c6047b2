using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>A class of Gateways and the controller that serves them (cluster-scoped).</summary>
public sealed class GatewayClass : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "GatewayClass";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GatewayClassSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public GatewayClassStatus? Status { get; set; }
}

public sealed class GatewayClassSpec
{
    [JsonPropertyName("controllerName")]
    public string ControllerName { get; set; } = string.Empty;

    [JsonPropertyName("description")]
    public string? Description { get; set; }
}

public sealed class GatewayClassStatus
{
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}
