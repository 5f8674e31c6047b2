using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>gRPC routing rules attached to Gateway listeners: service/method and header matches, filters and weighted backends.</summary>
public sealed class GrpcRoute : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "GRPCRoute";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GrpcRouteSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public RouteStatus? Status { get; set; }
}

public sealed class GrpcRouteSpec : IRouteSpec
{
    [JsonPropertyName("parentRefs")]
    public IList<ParentReference>? ParentRefs { get; set; }

    [JsonPropertyName("hostnames")]
    public IList<string>? Hostnames { get; set; }

    [JsonPropertyName("rules")]
    public IList<GrpcRouteRule>? Rules { get; set; }
}

public sealed class GrpcRouteRule
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("matches")]
    public IList<GrpcRouteMatch>? Matches { get; set; }

    /// <summary>GRPCRouteFilter has HTTPRouteFilter's shape less the redirect and rewrite: the translator refuses those types.</summary>
    [JsonPropertyName("filters")]
    public IList<HttpRouteFilter>? Filters { get; set; }

    [JsonPropertyName("backendRefs")]
    public IList<BackendReference>? BackendRefs { get; set; }
}

public sealed class GrpcRouteMatch
{
    [JsonPropertyName("method")]
    public GrpcMethodMatch? Method { get; set; }

    /// <summary>Header matches, shaped as HTTPRoute's (Exact or RegularExpression, name, value).</summary>
    [JsonPropertyName("headers")]
    public IList<HttpValueMatch>? Headers { get; set; }
}

public sealed class GrpcMethodMatch
{
    /// <summary>Exact (the default) or RegularExpression.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("service")]
    public string? Service { get; set; }

    [JsonPropertyName("method")]
    public string? Method { get; set; }
}
