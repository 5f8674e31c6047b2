using System.Text.Json.Serialization;

namespace OneHop.Core.State.GatewayApi;

/// <summary>The spec TCPRoute and UDPRoute share: the Gateways they attach to and rules of weighted backends.</summary>
public sealed class L4RouteSpec : IRouteSpec
{
    [JsonPropertyName("parentRefs")]
    public IList<ParentReference>? ParentRefs { get; set; }

    [JsonPropertyName("rules")]
    public IList<L4RouteRule>? Rules { get; set; }
}

/// <summary>A rule of a TCPRoute, UDPRoute or TLSRoute: only backends, matching being the listener's (and SNI's) business.</summary>
public sealed class L4RouteRule
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("backendRefs")]
    public IList<BackendReference>? BackendRefs { get; set; }
}
