using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OneHop.Core.Configuration;

/// <summary>
/// Parses a PEM certificate and key and checks that they belong together. Deterministic (no I/O, no clock) and
/// stateless: the translator keeps results for unchanged Secrets in its translation cache.
/// </summary>
internal static class CertificateParser
{

    /// <summary>Parses a CA bundle (one or more PEM certificates); returns how many, or an error.</summary>
    public static (int Count, string? Error) ParseBundle(string pem)
    {
        try
        {
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPem(pem);
            return bundle.Count == 0 ? (0, "no PEM certificate found") : (bundle.Count, null);
        }
        catch (CryptographicException ex)
        {
            return (0, ex.Message);
        }
    }

    public static (CertificateInfo? Info, string? Error) Parse(string certificatePem, string keyPem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            var names = ImmutableArray.CreateBuilder<string>();
            foreach (var extension in certificate.Extensions)
            {
                if (extension is X509SubjectAlternativeNameExtension san)
                {
                    names.AddRange(san.EnumerateDnsNames().Select(n => n.ToLowerInvariant()));
                }
            }

            return (new CertificateInfo(
                certificate.Subject,
                certificate.Thumbprint,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
                names.ToImmutable()), null);
        }
        catch (CryptographicException ex)
        {
            return (null, $"tls.crt and tls.key are not a valid certificate and matching private key: {ex.Message}");
        }
        catch (ArgumentException ex) when (ex.Message.Contains("does not match", StringComparison.Ordinal))
        {
            return (null, "tls.key does not match the certificate in tls.crt");
        }
        catch (ArgumentException ex)
        {
            return (null, $"tls.crt or tls.key is not PEM: {ex.Message}");
        }
    }

    /// <summary>Whether a certificate name (exact or <c>*.domain</c>) covers a host rule (exact or wildcard).</summary>
    public static bool Covers(IEnumerable<string> names, string host) => names.Any(name =>
        name == host
        || (name.StartsWith("*.", StringComparison.Ordinal) && !HostRules.IsWildcard(host) && HostRules.WildcardSuffix(host).SequenceEqual(name.AsSpan(2))));
}
