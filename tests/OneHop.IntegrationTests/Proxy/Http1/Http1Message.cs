using System.Globalization;
using System.Text;

namespace OneHop.IntegrationTests.Proxy.Http1;

/// <summary>
/// An HTTP/1.1 message as recorded on the wire (Latin-1), reduced to what two proxies must agree on: the start line,
/// the header fields as a sorted multiset (names lower-cased; the order of fields is each forwarder's own), and the
/// body decoded from its framing (where one proxy re-chunks, the chunk sizes may differ).
/// </summary>
internal sealed record Http1Message(string StartLine, IReadOnlyList<string> Fields, string Body)
{
    public override string ToString() => $"{StartLine}\n{string.Join('\n', Fields)}\n\n{(Body.Length > 300 ? Body[..300] + $"... ({Body.Length} chars)" : Body)}";

    public bool Same(Http1Message other) => StartLine == other.StartLine && Fields.SequenceEqual(other.Fields) && Body == other.Body;

    /// <summary>
    /// Reads the messages of <paramref name="wire"/> one after another (pipelined answers, a request as a pod got it).
    /// <paramref name="bodiless"/> tells, for the n-th message, that it has no body whatever its head says (the answer
    /// to a HEAD). <paramref name="drop"/> leaves fields out (those that differ by nature, as Date); <paramref name="port"/>
    /// is written as PORT wherever it appears in a value (the proxy's own listener, in X-Forwarded-Port).
    /// </summary>
    public static List<Http1Message> ParseAll(string wire, Func<int, bool> bodiless, ISet<string> drop, int port)
    {
        var messages = new List<Http1Message>();
        var at = 0;
        while (at < wire.Length)
        {
            var headEnd = wire.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            if (headEnd < 0)
            {
                messages.Add(new Http1Message("(incomplete head)", [], wire[at..]));
                break;
            }

            var lines = wire[at..headEnd].Split("\r\n");
            at = headEnd + 4;
            var fields = new List<string>();
            long length = -1;
            var chunked = false;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var name = line[..colon].ToLowerInvariant();
                var value = line[(colon + 1)..].Trim(' ', '\t');
                length = name == "content-length" ? long.Parse(value, CultureInfo.InvariantCulture) : length;
                chunked |= name == "transfer-encoding" && value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                if (!drop.Contains(name))
                {
                    fields.Add($"{name}: {value.Replace(port.ToString(CultureInfo.InvariantCulture), "PORT", StringComparison.Ordinal)}");
                }
            }

            fields = Fold(fields);
            var status = lines[0].StartsWith("HTTP/", StringComparison.Ordinal) ? int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture) : 0;
            string body;
            if (bodiless(messages.Count) || status is 204 or 304 or (>= 100 and < 200))
            {
                body = string.Empty;
                if (status == 101)
                {
                    // The rest is the tunnel's, not HTTP.
                    body = wire[at..];
                    at = wire.Length;
                }
            }
            else if (chunked)
            {
                (body, at) = Dechunk(wire, at);
            }
            else if (length >= 0)
            {
                var end = (int)Math.Min(wire.Length, at + length);
                body = wire[at..end];
                at = end;
            }
            else
            {
                // A request without either has no body; an answer without either runs to the close.
                body = status == 0 ? string.Empty : wire[at..];
                at = status == 0 ? at : wire.Length;
            }

            messages.Add(new Http1Message(lines[0], fields, body));
        }

        return messages;
    }

    /// <summary>
    /// Repeated fields as one, their values joined as .NET's HTTP client joins them (YARP's forwarder sends them so;
    /// the lean one passes them on as they came, as nginx and HAProxy do — both mean the same to the receiver).
    /// </summary>
    private static List<string> Fold(List<string> fields) =>
        [.. fields.Select(f => (Name: f[..f.IndexOf(':', StringComparison.Ordinal)], Value: f[(f.IndexOf(':', StringComparison.Ordinal) + 2)..]))
            .GroupBy(f => f.Name, StringComparer.Ordinal)
            .Select(g => $"{g.Key}: {string.Join(g.Key switch { "cookie" => "; ", "user-agent" or "server" => " ", _ => ", " }, g.Select(f => f.Value).Where(v => v.Length > 0 || g.Count() == 1))}")
            .Order(StringComparer.Ordinal)];

    private static (string Body, int End) Dechunk(string wire, int at)
    {
        var body = new StringBuilder();
        while (true)
        {
            var lineEnd = wire.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return (body.Append("(cut chunk)").ToString(), wire.Length);
            }

            var size = int.Parse(wire.AsSpan(at, lineEnd - at).TrimEnd().ToString().Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            at = lineEnd + 2;
            if (size == 0)
            {
                // Trailers, if any, up to the empty line.
                var end = wire.IndexOf("\r\n", at, StringComparison.Ordinal);
                while (end > at)
                {
                    body.Append("[trailer ").Append(wire, at, end - at).Append(']');
                    at = end + 2;
                    end = wire.IndexOf("\r\n", at, StringComparison.Ordinal);
                }

                return (body.ToString(), end < 0 ? wire.Length : end + 2);
            }

            var take = Math.Min(size, wire.Length - at);
            body.Append(wire, at, take);
            at += take + 2;
            if (at > wire.Length)
            {
                return (body.Append("(cut chunk)").ToString(), wire.Length);
            }
        }
    }
}
