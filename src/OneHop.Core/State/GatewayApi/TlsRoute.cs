using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>TLS connections of a Gateway's TLS listener, routed by SNI without terminating TLS, to weighted Service backends (experimental channel: v1alpha2, v1alpha3 and v1 read alike).</summary>
public sealed class TlsRoute : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1alpha2";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "TLSRoute";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TlsRouteSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public RouteStatus? Status { get; set; }
}
