using System.Collections.Immutable;

namespace OneHop.Core.Configuration;

/// <summary>What the translator needs to know about a certificate: its names and validity.</summary>
internal sealed record CertificateInfo(string Subject, string Thumbprint, DateTimeOffset NotBefore, DateTimeOffset NotAfter, ImmutableArray<string> DnsNames);
