namespace OneHop.Core.Tls;

/// <summary>A certificate (with its chain) and key as PEM, with where it came from and the hosts it serves.</summary>
/// <param name="Hosts">Exact or <c>*.domain</c> names whose SNI selects it; empty means "its own DNS names".</param>
internal sealed record PemCertificate(string Id, string CertificatePem, string KeyPem, IReadOnlyList<string> Hosts);
