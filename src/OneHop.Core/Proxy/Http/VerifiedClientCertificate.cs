using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Tls;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Set on a request's features by <see cref="TlsPolicyMiddleware"/> when its host's CA verified the connection's
/// client certificate, or (optional_no_ca) when the certificate's CA is unknown and the pod is to judge it: the
/// <c>ssl-client-*</c> headers (ingress-nginx's <c>auth-tls-*</c>) say SUCCESS only for the first.
/// </summary>
/// <param name="result">nginx's <c>$ssl_client_verify</c>: SUCCESS, or FAILED:reason.</param>
internal sealed class VerifiedClientCertificate(X509Certificate2 certificate, string result = "SUCCESS")
{
    public string Result => result;

    private string? _subject;

    public X509Certificate2 Certificate => certificate;

    /// <summary>The subject as nginx's <c>$ssl_client_s_dn</c> writes it, written once for match-cn and the headers both.</summary>
    public string Subject => _subject ??= DistinguishedNames.Rfc2253(certificate.SubjectName);
}
