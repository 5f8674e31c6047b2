using System.Collections.Immutable;
using System.Net;

namespace OneHop.Core.Configuration;

/// <summary>
/// PROXY protocol (v1 and v2) on a listener: accepted only from these networks (the firewall or HAProxy in front),
/// whose connections must start with it; anyone else sending one is refused.
/// </summary>
/// <param name="SchemeFrom">
/// Whether to believe the trusted proxy's X-Forwarded-Proto or Forwarded proto= about the client's scheme (it
/// terminated TLS). Off by default: an L4 proxy in front passes the client's own headers on unchanged.
/// </param>
internal sealed record ProxyProtocolConfig(ImmutableArray<IPNetwork> TrustedNetworks, ClientSchemeSource SchemeFrom = ClientSchemeSource.Connection)
{
    public bool Trusts(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return TrustedNetworks.Any(n => n.Contains(candidate));
    }

    public bool Equals(ProxyProtocolConfig? other) =>
        other is not null && SchemeFrom == other.SchemeFrom && TrustedNetworks.SequenceEqual(other.TrustedNetworks);

    public override int GetHashCode() => TrustedNetworks.Length;
}
