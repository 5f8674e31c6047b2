using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>How a Gateway connects to a Service's pods over TLS: the CA that signs them and the name they must present.</summary>
public sealed class BackendTlsPolicy : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "BackendTLSPolicy";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public BackendTlsPolicySpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public PolicyStatus? Status { get; set; }
}

/// <summary>A policy's status: one entry per ancestor (a Gateway whose routes reach a target) and controller.</summary>
public sealed class PolicyStatus
{
    [JsonPropertyName("ancestors")]
    public IList<PolicyAncestorStatus>? Ancestors { get; set; }
}

public sealed class PolicyAncestorStatus
{
    [JsonPropertyName("ancestorRef")]
    public ParentReference AncestorRef { get; set; } = new();

    [JsonPropertyName("controllerName")]
    public string ControllerName { get; set; } = string.Empty;

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }
}

public sealed class BackendTlsPolicySpec
{
    [JsonPropertyName("targetRefs")]
    public IList<PolicyTargetReference>? TargetRefs { get; set; }

    [JsonPropertyName("validation")]
    public BackendTlsPolicyValidation? Validation { get; set; }

    /// <summary>Implementation-specific TLS settings by key; none is defined, each is reported ignored.</summary>
    [JsonPropertyName("options")]
    public IDictionary<string, string>? Options { get; set; }
}

/// <summary>A local object a policy attaches to (a Service), or one port of it by name.</summary>
public sealed class PolicyTargetReference
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("sectionName")]
    public string? SectionName { get; set; }
}

public sealed class BackendTlsPolicyValidation
{
    [JsonPropertyName("caCertificateRefs")]
    public IList<LocalObjectReference>? CaCertificateRefs { get; set; }

    /// <summary><c>System</c>: the system's roots; exclusive with <see cref="CaCertificateRefs"/>.</summary>
    [JsonPropertyName("wellKnownCACertificates")]
    public string? WellKnownCACertificates { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("subjectAltNames")]
    public IList<SubjectAltName>? SubjectAltNames { get; set; }
}

/// <summary>A reference to an object in the referrer's own namespace (a policy's ConfigMap with <c>ca.crt</c>, a Gateway's parametersRef).</summary>
public sealed class LocalObjectReference
{
    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;
}

public sealed class SubjectAltName
{
    /// <summary><c>Hostname</c> or <c>URI</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("uri")]
    public string? Uri { get; set; }
}
