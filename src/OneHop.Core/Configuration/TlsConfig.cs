using System.Collections.Immutable;
using System.Security.Authentication;

namespace OneHop.Core.Configuration;

/// <summary>TLS settings: certificate files (SNI picks them by their DNS names), the default, the oldest version, the cipher suites.</summary>
/// <param name="Default">Served when no certificate matches the client's SNI; a self-signed one is generated if none.</param>
/// <param name="RedirectPort">
/// The port clients reach HTTPS at, for HTTP→HTTPS redirects (<c>tls.redirectPort</c>); null means 443. Not the
/// listener's port: OneHop usually listens on 8443 behind a firewall or hostPort mapping 443.
/// </param>
/// <param name="OcspStapling">
/// Staple each certificate's OCSP answer to the handshake (<c>tls.ocspStapling</c>): fetched from the responder its
/// Authority Information Access names, refreshed before it runs out.
/// </param>
/// <param name="RejectUnknownNames">
/// Refuse the handshake of a client whose SNI names no host with a certificate, or that sends none, instead of answering
/// with the default certificate (<c>tls.rejectUnknownNames</c>, nginx's <c>ssl_reject_handshake</c>).
/// </param>
internal sealed record TlsConfig(ImmutableArray<CertificateFileConfig> Certificates, CertificateFileConfig? Default = null, SslProtocols MinimumVersion = SslProtocols.Tls12, int? RedirectPort = null, TlsCipherSuites CipherSuites = TlsCipherSuites.Default, bool OcspStapling = false, bool RejectUnknownNames = false)
{
    public static readonly TlsConfig None = new([]);

    /// <summary>The suites of <see cref="TlsCipherSuites.Listed"/>; null for the named lists.</summary>
    public TlsCipherSuiteList? CipherList { get; init; }

    public bool Equals(TlsConfig? other) =>
        other is not null && Default == other.Default && MinimumVersion == other.MinimumVersion && CipherSuites == other.CipherSuites && Equals(CipherList, other.CipherList) && RedirectPort == other.RedirectPort && OcspStapling == other.OcspStapling && RejectUnknownNames == other.RejectUnknownNames
        && Certificates.SequenceEqual(other.Certificates);

    public override int GetHashCode() => HashCode.Combine(Certificates.Length, Default);
}
