namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// One field line of a response head or trailer section (RFC 9112 §5): <c>token ":" OWS value OWS</c>, nothing else.
/// Each rule closes a way two parsers could read the same bytes differently: no whitespace before the colon, no
/// obs-fold, no bare CR, LF or NUL or any other control byte.
/// </summary>
internal static class Http1FieldLine
{
    /// <summary>Splits a line (without its CRLF) into name and trimmed value; returns why it is invalid, or null.</summary>
    public static string? TryRead(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = default;
        value = default;
        if (line.IsEmpty)
        {
            return "empty field line";
        }

        if (Http1Syntax.IsWhitespace(line[0]))
        {
            return "obs-fold (a line starting with whitespace)";
        }

        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            return "field line without a colon";
        }

        name = line[..colon];
        if (!Http1Syntax.IsToken(name))
        {
            return name.IsEmpty ? "empty field name" : Http1Syntax.IsWhitespace(name[^1]) ? "whitespace before the colon" : "invalid field name";
        }

        value = Http1Syntax.TrimWhitespace(line[(colon + 1)..]);
        return Http1Syntax.IsValue(value) ? null : "control byte (CR, LF, NUL, ...) in a field value";
    }
}
