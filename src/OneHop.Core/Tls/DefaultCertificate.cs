using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OneHop.Core.Tls;

/// <summary>
/// The certificate served when no configured certificate matches the client's SNI and no default is configured:
/// self-signed, generated at start-up (ingress-nginx does the same), so a TLS client always gets a handshake it
/// can reason about instead of a reset. It is never valid for a real host name.
/// </summary>
internal static class DefaultCertificate
{
    public const string Subject = "CN=OneHop default certificate (no certificate configured for this host)";

    public static PemCertificate Create(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        return new PemCertificate("generated default", certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), []);
    }
}
