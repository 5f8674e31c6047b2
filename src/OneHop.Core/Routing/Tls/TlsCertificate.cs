using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneHop.Core.Routing.Tls;

/// <summary>
/// A certificate and the hosts it serves, from a <c>kubernetes.io/tls</c> Secret named by an Ingress. The PEM
/// texts travel in the snapshot to the data plane but are never serialized: /api/routes shows what, not the key.
/// </summary>
/// <param name="Id">Where it came from, e.g. <c>Secret shop/shop-tls</c>.</param>
/// <param name="Hosts">The hosts (exact or <c>*.domain</c>) whose SNI selects it.</param>
internal sealed record TlsCertificate(
    string Id,
    ImmutableArray<string> Hosts,
    string Subject,
    string Thumbprint,
    DateTimeOffset NotAfter,
    [property: JsonIgnore] string CertificatePem,
    [property: JsonIgnore] string KeyPem)
{
    public bool Equals(TlsCertificate? other) =>
        other is not null && Id == other.Id && Thumbprint == other.Thumbprint && KeyPem == other.KeyPem && Hosts.SequenceEqual(other.Hosts);

    public override int GetHashCode() => HashCode.Combine(Id, Thumbprint);
}
