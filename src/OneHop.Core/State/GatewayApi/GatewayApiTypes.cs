using System.Text.Json.Serialization;

namespace OneHop.Core.State.GatewayApi;

/// <summary>
/// Gateway API's shared pieces (gateway.networking.k8s.io), as the CRDs' OpenAPI schemas name them. KubernetesClient
/// has no models for Gateway API, so these are OneHop's own (DESIGN.md allows it for kinds the library lacks). Enum-like
/// fields stay strings: a value OneHop does not know is reported by the translator in status, not lost in deserialization.
/// </summary>
public static class GatewayApiNames
{
    public const string Group = "gateway.networking.k8s.io";

    /// <summary>The GatewayClass controllerName OneHop serves, exactly.</summary>
    public const string ControllerName = "onehop.dev/gateway-controller";
}

/// <summary>What Gateway API's object references share: group, kind, namespace and name.</summary>
public abstract class ObjectReference
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;
}

/// <summary>A reference to a Gateway (or a listener of one) a route attaches to.</summary>
public sealed class ParentReference : ObjectReference
{
    [JsonPropertyName("sectionName")]
    public string? SectionName { get; set; }

    [JsonPropertyName("port")]
    public int? Port { get; set; }
}

/// <summary>A route rule's backend: a Service port (by default) with a weight.</summary>
public sealed class BackendReference : ObjectReference
{
    [JsonPropertyName("port")]
    public int? Port { get; set; }

    /// <summary>Relative share of the rule's traffic; 1 when unset, 0 for none.</summary>
    [JsonPropertyName("weight")]
    public int? Weight { get; set; }

    /// <summary>Filters applied only to requests sent to this backend (HTTPRoute).</summary>
    [JsonPropertyName("filters")]
    public IList<HttpRouteFilter>? Filters { get; set; }
}

/// <summary>A reference to a Secret (a listener's certificate) or another object by kind and name.</summary>
public sealed class SecretObjectReference : ObjectReference
{
}

/// <summary>The status a controller writes for one parent of a route.</summary>
public sealed class RouteParentStatus
{
    [JsonPropertyName("parentRef")]
    public ParentReference ParentRef { get; set; } = new();

    [JsonPropertyName("controllerName")]
    public string ControllerName { get; set; } = string.Empty;

    [JsonPropertyName("conditions")]
    public IList<k8s.Models.V1Condition>? Conditions { get; set; }
}

/// <summary>The status of any route kind.</summary>
public sealed class RouteStatus
{
    [JsonPropertyName("parents")]
    public IList<RouteParentStatus>? Parents { get; set; }
}

/// <summary>What the common route kinds share: the Gateways they attach to and the hostnames they serve.</summary>
public interface IRouteSpec
{
    IList<ParentReference>? ParentRefs { get; }
}
