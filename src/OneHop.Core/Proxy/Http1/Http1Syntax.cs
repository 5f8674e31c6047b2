using System.Buffers;

namespace OneHop.Core.Proxy.Http1;

/// <summary>The byte classes of RFC 9110 §5.6.2 (token) and §5.5 (field values), searched vectorized.</summary>
internal static class Http1Syntax
{
    /// <summary>tchar: the bytes of a header name, a method or a list token.</summary>
    public static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// Bytes no field value (or reason phrase) may hold: the controls other than HTAB, and DEL. Bare CR, LF and NUL
    /// are among them — the bytes that split or end a header in some parser and not in another.
    /// </summary>
    public static readonly SearchValues<byte> ForbiddenInValue = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    /// <summary>The same, for values held as Latin-1 characters; characters above U+00FF have no byte at all.</summary>
    public static readonly SearchValues<char> AllowedInValueChars = SearchValues.Create(AllowedChars());

    /// <summary>The characters of a token, for names held as strings.</summary>
    public static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && !value.ContainsAnyExcept(TokenBytes);

    public static bool IsToken(ReadOnlySpan<char> value) => !value.IsEmpty && !value.ContainsAnyExcept(TokenChars);

    public static bool IsValue(ReadOnlySpan<byte> value) => !value.ContainsAny(ForbiddenInValue);

    public static bool IsValue(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(AllowedInValueChars);

    /// <summary>OWS: spaces and tabs.</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary><paramref name="value"/> without the optional whitespace around it.</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);

    /// <summary>
    /// The next element of a comma-separated list (RFC 9110 §5.6.1), trimmed; empty elements are skipped as the list
    /// rule allows. False when the list is exhausted.
    /// </summary>
    public static bool NextElement(ref ReadOnlySpan<byte> list, out ReadOnlySpan<byte> element)
    {
        while (!list.IsEmpty)
        {
            var comma = list.IndexOf((byte)',');
            element = TrimWhitespace(comma < 0 ? list : list[..comma]);
            list = comma < 0 ? default : list[(comma + 1)..];
            if (!element.IsEmpty)
            {
                return true;
            }
        }

        element = default;
        return false;
    }

    /// <summary>The same for a list held as characters.</summary>
    public static bool NextElement(ref ReadOnlySpan<char> list, out ReadOnlySpan<char> element)
    {
        while (!list.IsEmpty)
        {
            var comma = list.IndexOf(',');
            element = (comma < 0 ? list : list[..comma]).Trim(" \t");
            list = comma < 0 ? default : list[(comma + 1)..];
            if (!element.IsEmpty)
            {
                return true;
            }
        }

        element = default;
        return false;
    }

    /// <summary>1*DIGIT as a non-negative long; false on anything else or on overflow.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 19)
        {
            return false;
        }

        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            if (value > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static string AllowedChars()
    {
        var chars = new List<char> { '\t' };
        for (var c = (char)0x20; c <= 0xFF; c++)
        {
            if (c != 0x7F)
            {
                chars.Add(c);
            }
        }

        return new string([.. chars]);
    }
}
