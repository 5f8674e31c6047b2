using System.Security.Authentication;
using OneHop.Core.Configuration;

namespace OneHop.Core.Tls;

/// <summary>Protocol settings of every TLS listener.</summary>
/// <param name="MinimumVersion">TLS 1.2 (default) or TLS 1.3; older versions are never offered.</param>
/// <param name="CipherSuites">OpenSSL's default list with session resumption (default), or the modern list without.</param>
/// <param name="CipherList">The suites of <see cref="TlsCipherSuites.Listed"/>.</param>
internal sealed record TlsOptions(SslProtocols MinimumVersion = SslProtocols.Tls12, TlsCipherSuites CipherSuites = TlsCipherSuites.Default, TlsCipherSuiteList? CipherList = null)
{
    public SslProtocols Enabled => MinimumVersion == SslProtocols.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;
}
