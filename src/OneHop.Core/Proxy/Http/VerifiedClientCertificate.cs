using System.Security.Cryptography.X509Certificates;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Set on a request's features by <see cref="TlsPolicyMiddleware"/> when its host's CA verified the connection's
/// client certificate: the <c>ssl-client-*</c> headers (ingress-nginx's <c>auth-tls-*</c>) say SUCCESS only then.
/// </summary>
internal sealed class VerifiedClientCertificate(X509Certificate2 certificate)
{
    public X509Certificate2 Certificate => certificate;
}
