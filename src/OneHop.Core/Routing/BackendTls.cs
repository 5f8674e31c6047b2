using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneHop.Core.Routing;

/// <summary>
/// How OneHop verifies the TLS of a backend's endpoints (Gateway API's BackendTLSPolicy, ingress-nginx's proxy-ssl-*,
/// an upstream's tls* fields): trust, the name sent and checked, and the client certificate it presents. A backend
/// without one is not verified (pods present certificates of their own, as ingress-nginx does not verify either).
/// </summary>
/// <remarks>Connection pools are keyed by this value: two policies never share a connection.</remarks>
internal sealed record BackendTls
{
    /// <summary>Any certificate is accepted: no trust, no name checked.</summary>
    public static readonly BackendTls Unverified = new() { Verify = false };

    /// <summary>False accepts any certificate (the operator's choice for a self-signed server).</summary>
    public bool Verify { get; init; } = true;

    /// <summary>The PEM CA bundle the chain must end in, and only it; null trusts the system's roots.</summary>
    [JsonIgnore]
    public string? CaPem { get; init; }

    /// <summary>What the chain is verified against, for /api/routes and golden files (the bundle itself is long).</summary>
    public string Trust => Problem is not null ? "unusable" : !Verify ? "none" : CaPem is null ? "system" : "ca";

    /// <summary>
    /// The name sent as SNI and, without <see cref="SubjectAltNames"/>, checked against the certificate; null uses the
    /// endpoint's host (an IP address of a pod is then checked against the certificate's IP entries).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServerName { get; init; }

    /// <summary>True sends no SNI: <see cref="ServerName"/> is only checked (ingress-nginx's <c>proxy-ssl-server-name: off</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool WithoutSni { get; init; }

    /// <summary>The most intermediate certificates between the endpoint's own and its trust anchor (nginx's <c>proxy_ssl_verify_depth</c>, OpenSSL's depth); null for no limit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? VerifyDepth { get; init; }

    /// <summary>The TLS versions offered, space-separated (<c>TLSv1.2 TLSv1.3</c>); null for the system's.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Protocols { get; init; }

    /// <summary>The cipher suites offered, IANA's names joined by ':' (<see cref="Configuration.TlsCipherSuiteList"/>); null for the system's.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ciphers { get; init; }

    /// <summary>When not empty, the certificate must carry one of these DNS names instead of <see cref="ServerName"/>.</summary>
    public ImmutableArray<string> SubjectAltNames { get; init; } = [];

    /// <summary>
    /// When not empty, the certificate may instead carry one of these URI SANs (exactly; Gateway API's <c>URI</c>
    /// subjectAltNames, such as SPIFFE ids); a certificate matching a name of <see cref="SubjectAltNames"/> or of these passes.
    /// </summary>
    [JsonIgnore]
    public ImmutableArray<string> SubjectAltUris { get; init; } = [];

    /// <summary><see cref="SubjectAltUris"/> for /api/routes and golden files; absent when none.</summary>
    [JsonPropertyName("subjectAltUris")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? SubjectAltUrisShown => SubjectAltUris.IsEmpty ? null : [.. SubjectAltUris];

    /// <summary>The PEM certificate (and chain) OneHop presents to the endpoint; null for none.</summary>
    [JsonIgnore]
    public string? ClientCertificatePem { get; init; }

    /// <summary>The PEM private key of <see cref="ClientCertificatePem"/>; never shown.</summary>
    [JsonIgnore]
    public string? ClientKeyPem { get; init; }

    /// <summary>True when OneHop presents a client certificate.</summary>
    public bool ClientCertificate => ClientCertificatePem is not null;

    /// <summary>Where the policy comes from, for logs and /api/routes (<c>BackendTLSPolicy default/web-tls</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; init; }

    /// <summary>Why the policy cannot be used (an unreadable CA bundle): every connection fails as a TLS failure, never unverified.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Problem { get; init; }

    public bool Equals(BackendTls? other) =>
        ReferenceEquals(this, other) || other is not null && Verify == other.Verify && CaPem == other.CaPem && ServerName == other.ServerName
        && WithoutSni == other.WithoutSni && VerifyDepth == other.VerifyDepth && Protocols == other.Protocols && Ciphers == other.Ciphers
        && SubjectAltNames.SequenceEqual(other.SubjectAltNames) && SubjectAltUris.SequenceEqual(other.SubjectAltUris) && ClientCertificatePem == other.ClientCertificatePem
        && ClientKeyPem == other.ClientKeyPem && Source == other.Source && Problem == other.Problem;

    public override int GetHashCode() => HashCode.Combine(Verify, CaPem?.Length, ServerName, SubjectAltNames.Length, Source);
}
