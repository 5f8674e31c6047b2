using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>A set of listeners (port, protocol, hostname, TLS) that routes attach to.</summary>
public sealed class Gateway : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Gateway";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GatewaySpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public GatewayStatus? Status { get; set; }
}

public sealed class GatewaySpec
{
    [JsonPropertyName("gatewayClassName")]
    public string GatewayClassName { get; set; } = string.Empty;

    [JsonPropertyName("listeners")]
    public IList<GatewayListener>? Listeners { get; set; }

    [JsonPropertyName("addresses")]
    public IList<GatewayAddress>? Addresses { get; set; }

    /// <summary>The Gateway's own TLS settings (as opposed to a listener's): client certificate validation.</summary>
    [JsonPropertyName("tls")]
    public GatewayTls? Tls { get; set; }

    /// <summary>Which ListenerSets may add listeners to this Gateway; none when unset.</summary>
    [JsonPropertyName("allowedListeners")]
    public AllowedListeners? AllowedListeners { get; set; }

    /// <summary>What an implementation provisions for the Gateway; OneHop provisions nothing, so takes no parameters.</summary>
    [JsonPropertyName("infrastructure")]
    public GatewayInfrastructure? Infrastructure { get; set; }
}

public sealed class GatewayInfrastructure
{
    /// <summary>An implementation-specific object of parameters (group, kind, name in the Gateway's namespace).</summary>
    [JsonPropertyName("parametersRef")]
    public LocalObjectReference? ParametersRef { get; set; }
}

public sealed class AllowedListeners
{
    /// <summary>The namespaces ListenerSets may attach from: <c>from</c> None (the default), Same, All or Selector.</summary>
    [JsonPropertyName("namespaces")]
    public RouteNamespaces? Namespaces { get; set; }
}

public sealed class GatewayListener
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("port")]
    public int Port { get; set; }

    /// <summary>HTTP, HTTPS, TLS, TCP or UDP.</summary>
    [JsonPropertyName("protocol")]
    public string Protocol { get; set; } = string.Empty;

    [JsonPropertyName("tls")]
    public GatewayTlsConfig? Tls { get; set; }

    [JsonPropertyName("allowedRoutes")]
    public AllowedRoutes? AllowedRoutes { get; set; }
}

public sealed class GatewayTlsConfig
{
    /// <summary>Terminate (the default) or Passthrough.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("certificateRefs")]
    public IList<SecretObjectReference>? CertificateRefs { get; set; }

    [JsonPropertyName("options")]
    public IDictionary<string, string>? Options { get; set; }
}

public sealed class AllowedRoutes
{
    [JsonPropertyName("namespaces")]
    public RouteNamespaces? Namespaces { get; set; }

    [JsonPropertyName("kinds")]
    public IList<RouteGroupKind>? Kinds { get; set; }
}

public sealed class RouteNamespaces
{
    /// <summary>Same (the default), All or Selector.</summary>
    [JsonPropertyName("from")]
    public string? From { get; set; }

    [JsonPropertyName("selector")]
    public V1LabelSelector? Selector { get; set; }
}

public sealed class RouteGroupKind
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;
}

public sealed class GatewayAddress
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("value")]
    public string Value { get; set; } = string.Empty;
}

public sealed class GatewayStatus
{
    [JsonPropertyName("addresses")]
    public IList<GatewayAddress>? Addresses { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("listeners")]
    public IList<ListenerStatus>? Listeners { get; set; }

    /// <summary>How many ListenerSets the Gateway accepted; written only for Gateways with <c>spec.allowedListeners</c>.</summary>
    [JsonPropertyName("attachedListenerSets")]
    public int? AttachedListenerSets { get; set; }
}

public sealed class ListenerStatus
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("supportedKinds")]
    public IList<RouteGroupKind> SupportedKinds { get; set; } = [];

    [JsonPropertyName("attachedRoutes")]
    public int AttachedRoutes { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition> Conditions { get; set; } = [];
}
