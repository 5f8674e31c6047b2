using System.Collections.Immutable;
using System.Net;

namespace OneHop.Core.Configuration;

/// <summary>Which Gateway API objects OneHop serves, and where.</summary>
/// <param name="ClassName">Only the GatewayClass of this name (<c>--gateway-class</c>); null for every class whose
/// controllerName is OneHop's.</param>
internal sealed record GatewaySettings(string? ClassName = null)
{
    /// <summary>
    /// Where Gateway listeners' ports are bound (<c>--gateway-address</c>); empty: every IPv4 address. The translator
    /// needs them for the TCP, UDP and TLS listeners, which become L4 listeners of the snapshot, one per address.
    /// </summary>
    public ImmutableArray<IPAddress> Addresses { get; init; } = [];

    /// <summary>
    /// This host's addresses, read at start by the host: a Gateway's requested address is usable under a wildcard
    /// <see cref="Addresses"/> entry when it is one of them. Default (unknown, as in <c>validate</c>): any address is.
    /// </summary>
    public ImmutableArray<IPAddress> HostAddresses { get; init; }

    /// <summary><see cref="Addresses"/>, or every IPv4 address when none is given.</summary>
    public ImmutableArray<IPAddress> EffectiveAddresses => Addresses.IsDefaultOrEmpty ? [IPAddress.Any] : Addresses;

    public bool Equals(GatewaySettings? other) =>
        other is not null && ClassName == other.ClassName && EffectiveAddresses.SequenceEqual(other.EffectiveAddresses)
        && HostAddresses.IsDefault == other.HostAddresses.IsDefault && (HostAddresses.IsDefault || HostAddresses.SequenceEqual(other.HostAddresses));

    public override int GetHashCode() => HashCode.Combine(ClassName, EffectiveAddresses.Length);
}
