using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The Host a request may carry (RFC 9110 §7.2, RFC 3986 §3.2.2): a DNS name, an IPv4 address or a bracketed IPv6
/// address, with an optional port 0-65535. Kestrel checks only the characters, so <c>a..b</c> or
/// <c>a.example.com:99999</c> passed and reached pods as two Host headers (the client's, which the HTTP client could
/// not parse, and one of its own).
/// </summary>
internal static class HostSyntax
{
    // SearchValues, not ContainsAnyExceptInRange: the generic range search boxed every char (seen in allocation traces).
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public static bool IsValid(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty)
        {
            // Only HTTP/1.0 may omit it (Kestrel refuses an HTTP/1.1 request without one).
            return true;
        }

        if (host[0] == '[')
        {
            var close = host.IndexOf(']');
            return close > 0
                && IPAddress.TryParse(host[1..close], out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
                && (close == host.Length - 1 || (host[close + 1] == ':' && IsPort(host[(close + 2)..])));
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? IsName(host) : IsName(host[..colon]) && IsPort(host[(colon + 1)..]);
    }

    /// <summary>Labels of letters, digits, '-' and '_' (internal names use it), 1-63 long, one optional final dot.</summary>
    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name.Length > 253)
        {
            return false;
        }

        var label = 0;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (label == 0)
                {
                    return false;
                }

                label = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                if (++label > 63)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return label > 0;
    }

    private static bool IsPort(ReadOnlySpan<char> port) =>
        port.Length is > 0 and <= 5 && !port.ContainsAnyExcept(Digits)
        && int.Parse(port, NumberStyles.None, CultureInfo.InvariantCulture) <= 65535;
}
