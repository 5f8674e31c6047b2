using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Primitives;
using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The client address a trusted proxy's header names, as nginx's realip module reads it: elements from the right, each
/// a trusted hop to skip while <see cref="TrustedProxiesConfig.Recursive"/>, the first untrusted one the client (all
/// trusted: the leftmost). An element may carry a port (<c>192.0.2.1:4711</c>, <c>[2001:db8::1]:4711</c>). Anything
/// else (a name, <c>unknown</c>, a zone, broken brackets) or more than <see cref="MaxHops"/> elements and the
/// connection's own address stands: a header OneHop cannot read whole says nothing it can trust.
/// </summary>
internal static class ForwardedClientAddress
{
    /// <summary>More hops than any real chain of proxies: beyond it the header is someone's padding, not a path.</summary>
    public const int MaxHops = 32;

    /// <summary>The client address for a request from <paramref name="peer"/>, which the caller checked is trusted.</summary>
    public static IPAddress Resolve(IPAddress peer, StringValues header, TrustedProxiesConfig config)
    {
        var client = peer;
        var hops = 0;
        for (var line = header.Count - 1; line >= 0; line--)
        {
            var rest = (header[line] ?? string.Empty).AsSpan();
            while (true)
            {
                var comma = rest.LastIndexOf(',');
                var element = rest[(comma + 1)..].Trim(" \t");
                if (!element.IsEmpty)
                {
                    if (++hops > MaxHops || Parse(element) is not { } address)
                    {
                        return peer;
                    }

                    client = address;
                    if (!config.Recursive || !config.Trusts(address))
                    {
                        return address;
                    }
                }

                if (comma < 0)
                {
                    break;
                }

                rest = rest[..comma];
            }
        }

        return client;
    }

    /// <summary>An address, with or without a port (IPv6 with one in brackets); null for anything else.</summary>
    internal static IPAddress? Parse(ReadOnlySpan<char> element)
    {
        if (element.IsEmpty || element.Contains('%'))
        {
            return null; // a zone names an interface of the sender's host, never a client of OneHop's
        }

        if (element[0] == '[')
        {
            var close = element.IndexOf(']');
            if (close < 0 || (close + 1 < element.Length && !IsPort(element[(close + 1)..])))
            {
                return null;
            }

            return IPAddress.TryParse(element[1..close], out var bracketed) && bracketed.AddressFamily == AddressFamily.InterNetworkV6 ? Plain(bracketed) : null;
        }

        var colons = element.Count(':');
        if (colons == 1)
        {
            var colon = element.IndexOf(':');
            if (!IsPort(element[colon..]))
            {
                return null;
            }

            element = element[..colon];
        }

        if (colons <= 1)
        {
            // Four dotted parts: IPAddress.TryParse would also take "10" or "10.1" as an IPv4 address.
            return element.Count('.') == 3 && IPAddress.TryParse(element, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork ? v4 : null;
        }

        return IPAddress.TryParse(element, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? Plain(v6) : null;
    }

    /// <summary><c>:</c> and a port number.</summary>
    private static bool IsPort(ReadOnlySpan<char> text) =>
        text.Length > 1 && text[0] == ':' && ushort.TryParse(text[1..], NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>An IPv4 address written as IPv6 (<c>::ffff:192.0.2.1</c>) is that IPv4 address, as allow lists match it.</summary>
    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
