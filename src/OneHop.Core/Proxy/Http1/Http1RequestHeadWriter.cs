using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Writes the request head for the endpoint straight from the inbound request: <c>METHOD SP target SP HTTP/1.1</c>,
/// Host first, then the client's headers with their bytes as sent, less the hop-by-hop ones (RFC 9110 §7.6.1:
/// Connection and every field it names, Keep-Alive, Proxy-Connection, TE but <c>trailers</c>, Transfer-Encoding,
/// Upgrade but for an upgrade), then OneHop's framing and the shape's headers. Proxy-Authorization is kept: §7.6.1
/// does not make it hop-by-hop and OneHop asks for no proxy credentials of its own (YARP drops it).
/// </summary>
internal static class Http1RequestHeadWriter
{
    /// <summary>Writes the head into <paramref name="output"/>; false when a part of it cannot be written as sent.</summary>
    public static bool Write(IBufferWriter<byte> output, HttpContext context, in Http1RequestPlan plan, Http1RequestShape shape)
    {
        var writer = new Http1HeaderWriter(output);
        var headers = context.Request.Headers;
        writer.Latin1(plan.Method);
        writer.Raw(" "u8);
        writer.Latin1(plan.Target);
        writer.Raw(" HTTP/1.1\r\nHost: "u8);
        var host = headers.Host;
        writer.Append(host.Count == 1 ? host[0] : null);
        writer.End();

        var connection = headers.Connection;
        var namesOthers = NamesOtherOptions(connection);
        var trailers = false;
        foreach (var (name, values) in headers)
        {
            if (IsHopByHop(name) || (namesOthers && IsNamedBy(connection, name)) || shape.Skips(name))
            {
                trailers |= name.Equals(HeaderNames.TE, StringComparison.OrdinalIgnoreCase) && HasOption(values, "trailers");
                continue;
            }

            foreach (var value in values)
            {
                writer.Latin1(name);
                writer.Raw(": "u8);
                writer.Append(value);
                writer.End();
            }
        }

        switch (plan.Body)
        {
            case Http1RequestBody.ContentLength:
                writer.Raw("Content-Length: "u8);
                writer.Append(plan.ContentLength);
                writer.End();
                break;
            case Http1RequestBody.Chunked:
                writer.Raw("Transfer-Encoding: chunked\r\n"u8);
                break;
        }

        if (plan.IsUpgrade)
        {
            writer.Write(HeaderNames.Upgrade, headers.Upgrade);
        }

        // A sender of TE must name it in Connection (RFC 9110 §10.1.4); an upgrade names Upgrade.
        if (trailers)
        {
            writer.Raw("TE: trailers\r\n"u8);
        }

        if (trailers || plan.IsUpgrade)
        {
            writer.Raw(!plan.IsUpgrade ? "Connection: TE\r\n"u8 : trailers ? "Connection: TE, Upgrade\r\n"u8 : "Connection: Upgrade\r\n"u8);
        }

        shape.WriteHeaders(ref writer, context);
        writer.Raw("\r\n"u8);
        writer.Commit();
        return writer.IsValid;
    }

    /// <summary>Request fields a proxy never forwards as they are (Host and the framing are written by OneHop).</summary>
    public static bool IsHopByHop(string name) => name.Length switch
    {
        2 => name.Equals(HeaderNames.TE, StringComparison.OrdinalIgnoreCase),
        4 => name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase),
        7 => name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase),
        10 => name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase) || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase),
        14 => name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase),
        16 => name.Equals(HeaderNames.ProxyConnection, StringComparison.OrdinalIgnoreCase),
        17 => name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase),
        _ => name.StartsWith(':'),
    };

    /// <summary>True when Connection names a field to drop (anything but close, keep-alive, upgrade and te, which are dropped anyway).</summary>
    private static bool NamesOtherOptions(StringValues connection)
    {
        foreach (var value in connection)
        {
            var list = value.AsSpan();
            while (Http1Syntax.NextElement(ref list, out var option))
            {
                if (!option.Equals("close", StringComparison.OrdinalIgnoreCase) && !option.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                    && !option.Equals("upgrade", StringComparison.OrdinalIgnoreCase) && !option.Equals("te", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsNamedBy(StringValues connection, string name) => HasOption(connection, name);

    private static bool HasOption(StringValues values, string option)
    {
        foreach (var value in values)
        {
            var list = value.AsSpan();
            while (Http1Syntax.NextElement(ref list, out var element))
            {
                // An option may carry parameters (TE: trailers;q=1 is not a thing, but be exact about the token).
                var semicolon = element.IndexOf(';');
                if ((semicolon < 0 ? element : element[..semicolon]).TrimEnd(" \t").Equals(option, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
