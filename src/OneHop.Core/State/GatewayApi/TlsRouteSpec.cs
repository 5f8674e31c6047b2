using System.Text.Json.Serialization;

namespace OneHop.Core.State.GatewayApi;

/// <summary>A TLSRoute's spec: the SNI hostnames it takes, beside what TCPRoute has.</summary>
public sealed class TlsRouteSpec : IRouteSpec
{
    [JsonPropertyName("parentRefs")]
    public IList<ParentReference>? ParentRefs { get; set; }

    [JsonPropertyName("hostnames")]
    public IList<string>? Hostnames { get; set; }

    [JsonPropertyName("rules")]
    public IList<L4RouteRule>? Rules { get; set; }
}
