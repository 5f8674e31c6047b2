using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OneHop.Core.Routing;

/// <summary>
/// Which client addresses a route serves (ingress-nginx's <c>allowlist-source-range</c> and
/// <c>denylist-source-range</c>, nginx's <c>deny</c> lines then <c>allow</c> lines and <c>deny all</c>): an address in
/// <see cref="Deny"/>, or outside a non-empty <see cref="Allow"/>, is answered 403. The address is the connection's,
/// after a PROXY protocol header.
/// </summary>
/// <param name="Allow">Networks as written (<c>10.0.0.0/8</c>, <c>192.168.1.7</c>); empty for every address.</param>
/// <param name="Deny">Networks refused before the allow list is read.</param>
internal sealed record RouteSourceRanges(ImmutableArray<string> Allow, ImmutableArray<string> Deny)
{
    private readonly IPNetwork[] _allow = [.. Allow.Select(n => Network(n) ?? throw new ArgumentException($"'{n}' is not a network", nameof(Allow)))];
    private readonly IPNetwork[] _deny = [.. Deny.Select(n => Network(n) ?? throw new ArgumentException($"'{n}' is not a network", nameof(Deny)))];

    /// <summary>
    /// nginx's <c>satisfy any</c>: an address an <see cref="Allow"/> entry allows needs no authentication, and one the
    /// ranges refuse may still pass by authenticating. With false (<c>satisfy all</c>) the ranges and the
    /// authentication must both pass.
    /// </summary>
    public bool OrAuthenticated { get; init; }

    /// <summary>
    /// True when an <see cref="Allow"/> entry allows <paramref name="address"/> (and no <see cref="Deny"/> entry refused it
    /// first): what nginx's access module answers OK to, where an address no entry names is only not refused.
    /// </summary>
    public bool AllowsByEntry(IPAddress? address) => _allow.Length > 0 && Permits(address);

    /// <summary>True when <paramref name="address"/> may use the route; an unknown address only when nothing is allowed by list.</summary>
    public bool Permits(IPAddress? address)
    {
        if (address is null)
        {
            return _allow.Length == 0;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4(); // a dual-stack socket's IPv4 client, matched by IPv4 networks as nginx does
        }

        foreach (var network in _deny)
        {
            if (network.Contains(address))
            {
                return false;
            }
        }

        if (_allow.Length == 0)
        {
            return true;
        }

        foreach (var network in _allow)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A network as Go's net.ParseCIDR or net.ParseIP read it (ingress-nginx does): <c>10.1.2.3/8</c> is 10.0.0.0/8, a bare
    /// address is itself alone; null for anything else. Hand-written because <see cref="IPNetwork.TryParse(string?, out IPNetwork)"/>
    /// refuses host bits and takes shorthand such as <c>10</c> for an address.
    /// </summary>
    public static IPNetwork? Network(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var part = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(part, out var address) || part.Contains('%', StringComparison.Ordinal)
            || (address.AddressFamily == AddressFamily.InterNetwork && part.Count(c => c == '.') != 3))
        {
            return null;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var kept = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - kept));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    public bool Equals(RouteSourceRanges? other) =>
        other is not null && Allow.SequenceEqual(other.Allow) && Deny.SequenceEqual(other.Deny) && OrAuthenticated == other.OrAuthenticated;

    public override int GetHashCode() => HashCode.Combine(Allow.Length, Deny.Length);
}
