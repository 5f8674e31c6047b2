using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>UDP datagrams of a Gateway's UDP listener to weighted Service backends (experimental channel, v1alpha2).</summary>
public sealed class UdpRoute : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1alpha2";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "UDPRoute";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public L4RouteSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public RouteStatus? Status { get; set; }
}
