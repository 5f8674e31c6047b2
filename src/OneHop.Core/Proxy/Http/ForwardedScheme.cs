using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Reads the client's scheme from the header a trusted proxy in front wrote: the last value of X-Forwarded-Proto, or
/// the <c>proto</c> of the last element of RFC 7239 Forwarded. The last, because a proxy that appends puts its own
/// hop there and what comes before is as the client sent it. Anything but http or https is no answer.
/// </summary>
internal static class ForwardedScheme
{
    public static string? Read(IHeaderDictionary headers, ClientSchemeSource source) => source switch
    {
        ClientSchemeSource.XForwardedProto => Scheme(LastElement(headers[ClientIdentity.Proto])),
        ClientSchemeSource.Forwarded => Scheme(Parameter(LastElement(headers[ClientIdentity.Forwarded]), "proto")),
        _ => null,
    };

    private static string? Scheme(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        return value.Equals("https", StringComparison.OrdinalIgnoreCase) ? "https"
            : value.Equals("http", StringComparison.OrdinalIgnoreCase) ? "http"
            : null;
    }

    /// <summary>What follows the last comma outside quotes in the last header line.</summary>
    private static ReadOnlySpan<char> LastElement(StringValues values)
    {
        var line = values.Count == 0 ? null : values[values.Count - 1];
        if (string.IsNullOrEmpty(line))
        {
            return [];
        }

        var span = line.AsSpan();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == '"')
            {
                quoted = !quoted;
            }
            else if (span[i] == ',' && !quoted)
            {
                start = i + 1;
            }
        }

        return span[start..];
    }

    /// <summary>The value of <c>name=value</c> among an element's <c>;</c>-separated pairs, unquoted; empty if absent.</summary>
    private static ReadOnlySpan<char> Parameter(ReadOnlySpan<char> element, string name)
    {
        foreach (var range in element.Split(';'))
        {
            var pair = element[range].Trim();
            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return pair[(equals + 1)..].Trim().Trim('"');
            }
        }

        return [];
    }
}
