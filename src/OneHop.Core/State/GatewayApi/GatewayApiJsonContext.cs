using System.Text.Json.Serialization;

namespace OneHop.Core.State.GatewayApi;

/// <summary>
/// Source-generated JSON metadata for the Gateway API kinds, which KubernetesClient's own generated context does not
/// know: in a Native AOT build its fallback (reflection) sees none of their properties, since the trimmer keeps no
/// metadata for them. Names come from each property's <c>JsonPropertyName</c>.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GatewayClass))]
[JsonSerializable(typeof(Gateway))]
[JsonSerializable(typeof(HttpRoute))]
[JsonSerializable(typeof(GrpcRoute))]
[JsonSerializable(typeof(ReferenceGrant))]
[JsonSerializable(typeof(TcpRoute))]
[JsonSerializable(typeof(UdpRoute))]
[JsonSerializable(typeof(TlsRoute))]
[JsonSerializable(typeof(BackendTlsPolicy))]
[JsonSerializable(typeof(ListenerSet))]
internal sealed partial class GatewayApiJsonContext : JsonSerializerContext;
