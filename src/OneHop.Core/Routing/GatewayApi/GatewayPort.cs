using System.Collections.Immutable;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// A port OneHop's Gateways listen on, bound at every <c>--gateway-address</c>: HTTPS terminates TLS by SNI (HTTP/2 and
/// HTTP/1.1 by ALPN); cleartext serves HTTP/1.1 and HTTP/2 with prior knowledge (h2c).
/// </summary>
/// <param name="Hostnames">Its listeners' hostnames (empty for one without), sorted: they decide which listener's routes a request meets.</param>
/// <param name="Frontend">The client certificate validation its TLS handshakes ask for; null for none.</param>
internal sealed record GatewayPort(int Port, bool Https, ImmutableArray<string> Hostnames, FrontendValidation? Frontend = null)
{
    /// <summary>
    /// The id of the certificate a listener without hostname brings (a <see cref="OneHop.Core.Routing.Tls.TlsCertificate"/> of the snapshot): the
    /// port's handshakes with a name no certificate of a host covers get it instead of OneHop's default; null for none.
    /// </summary>
    public string? DefaultCertificate { get; init; }

    public bool Equals(GatewayPort? other) =>
        other is not null && Port == other.Port && Https == other.Https && Hostnames.SequenceEqual(other.Hostnames) && Frontend == other.Frontend
        && DefaultCertificate == other.DefaultCertificate;

    public override int GetHashCode() => HashCode.Combine(Port, Https);
}
