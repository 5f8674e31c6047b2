using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OneHop.Core.Tests.Proxy.Http1;

/// <summary>
/// The response head grammar written a second time, plainly (regular expressions and string splits, no spans), to
/// check the parser against: RFC 9112's status line and field lines, and OneHop's framing rules.
/// </summary>
internal static partial class Http1ResponseReference
{
    /// <summary>Whether <paramref name="head"/> (bytes as Latin-1, through the first empty line) is a head OneHop accepts, and its framing.</summary>
    public static (bool Ok, long ContentLength, bool Chunked) Check(string head, int maxHeaders)
    {
        if (!head.EndsWith("\r\n\r\n", StringComparison.Ordinal) || head.IndexOf("\r\n\r\n", StringComparison.Ordinal) != head.Length - 4)
        {
            return (false, -1, false);
        }

        var lines = head[..^4].Split("\r\n");
        var status = StatusLine().Match(lines[0]);
        if (!status.Success || int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture) is < 100 or > 599 || lines.Length - 1 > maxHeaders)
        {
            return (false, -1, false);
        }

        var contentLength = -1L;
        var chunked = 0;
        var options = 0;
        foreach (var line in lines.Skip(1))
        {
            var field = FieldLine().Match(line);
            if (!field.Success)
            {
                return (false, -1, false);
            }

            var name = field.Groups[1].Value;
            var elements = field.Groups[2].Value.Split(',').Select(e => e.Trim(' ', '\t')).Where(e => e.Length > 0).ToList();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (elements.Count == 0)
                {
                    return (false, -1, false);
                }

                foreach (var element in elements)
                {
                    if (!Digits().IsMatch(element) || !long.TryParse(element, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                        || (contentLength >= 0 && value != contentLength))
                    {
                        return (false, -1, false);
                    }

                    contentLength = value;
                }
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                if (elements.Count == 0 || elements.Any(e => !e.Equals("chunked", StringComparison.OrdinalIgnoreCase)))
                {
                    return (false, -1, false);
                }

                chunked += elements.Count;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                if (elements.Any(e => !Token().IsMatch(e)))
                {
                    return (false, -1, false);
                }

                options += elements.Count(e => !e.Equals("close", StringComparison.OrdinalIgnoreCase) && !e.Equals("keep-alive", StringComparison.OrdinalIgnoreCase));
            }
        }

        var ok = chunked <= 1 && !(chunked == 1 && contentLength >= 0) && options <= 16;
        return (ok, contentLength, chunked == 1);
    }

    /// <summary>The first head in <paramref name="bytes"/> (through the first CRLF CRLF), or null.</summary>
    public static string? FirstHead(byte[] bytes, int maxBytes)
    {
        var text = Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, maxBytes));
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? null : text[..(end + 4)];
    }

    [GeneratedRegex(@"\AHTTP/1\.[0-9] ([0-9]{3})(?: [\t\x20-\x7E\x80-\xFF]*)?\z")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"\A([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\t\x20-\x7E\x80-\xFF]*?)[ \t]*\z")]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"\A[0-9]{1,19}\z")]
    private static partial Regex Digits();

    [GeneratedRegex(@"\A[!#$%&'*+\-.^_`|~0-9A-Za-z]+\z")]
    private static partial Regex Token();
}
