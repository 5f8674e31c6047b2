using System.Text.Json.Serialization;

namespace OneHop.Core.State.GatewayApi;

/// <summary>
/// A Gateway's <c>spec.tls</c>: how clients connecting to it are validated (<c>frontend</c>), and the client certificate
/// it presents to TLS backends (<c>backend</c>).
/// </summary>
public sealed class GatewayTls
{
    [JsonPropertyName("frontend")]
    public FrontendTlsConfig? Frontend { get; set; }

    [JsonPropertyName("backend")]
    public GatewayBackendTls? Backend { get; set; }
}

/// <summary>A Gateway's <c>spec.tls.backend</c>.</summary>
public sealed class GatewayBackendTls
{
    /// <summary>A core Secret of type <c>kubernetes.io/tls</c> (another namespace's only by ReferenceGrant): the certificate presented to pods that speak TLS.</summary>
    [JsonPropertyName("clientCertificateRef")]
    public SecretObjectReference? ClientCertificateRef { get; set; }
}

/// <summary>Client certificate validation for the Gateway's HTTPS listeners: a default, overridden per port.</summary>
public sealed class FrontendTlsConfig
{
    [JsonPropertyName("default")]
    public FrontendTlsSettings? Default { get; set; }

    [JsonPropertyName("perPort")]
    public IList<FrontendTlsPortConfig>? PerPort { get; set; }
}

/// <summary>The settings of one port's HTTPS listeners (or the default).</summary>
public sealed class FrontendTlsSettings
{
    [JsonPropertyName("validation")]
    public FrontendTlsValidation? Validation { get; set; }
}

public sealed class FrontendTlsPortConfig
{
    [JsonPropertyName("port")]
    public int Port { get; set; }

    [JsonPropertyName("tls")]
    public FrontendTlsSettings? Tls { get; set; }
}

/// <summary>The CA bundles client certificates must chain to, and whether a client without a valid one is let in.</summary>
public sealed class FrontendTlsValidation
{
    /// <summary>ConfigMaps with the PEM bundle under <c>ca.crt</c>; another namespace's only by ReferenceGrant.</summary>
    [JsonPropertyName("caCertificateRefs")]
    public IList<CaCertificateReference>? CaCertificateRefs { get; set; }

    /// <summary><c>AllowValidOnly</c> (the default) or <c>AllowInsecureFallback</c>.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }
}

/// <summary>A reference to an object holding a CA bundle (a ConfigMap), possibly in another namespace.</summary>
public sealed class CaCertificateReference : ObjectReference
{
}
