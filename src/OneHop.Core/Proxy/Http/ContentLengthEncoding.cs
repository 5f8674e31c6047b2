using System.Text;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// How Kestrel reads a request's Content-Length: digits as themselves, every other byte as a character no number
/// parses. Kestrel's own parsers take a leading sign (<c>Utf8Parser</c>, or <c>long.TryParse</c> with
/// <c>NumberStyles.Integer</c> once a header encoding is configured: HttpRequestHeaders.AppendContentLength*), so
/// <c>Content-Length: +5</c> passed as 5, where RFC 9110 §8.6 allows 1*DIGIT and nginx and HAProxy answer 400. Kestrel
/// asks the request header encoding selector how to decode this header and parses the result: this encoding brings
/// the strict grammar into Kestrel's parser, which then refuses the request itself (400, connection closed) before
/// anything is read or forwarded.
/// </summary>
internal sealed class ContentLengthEncoding : Encoding
{
    public static readonly ContentLengthEncoding Instance = new();

    private const char NotADigit = 'x';

    public override int GetByteCount(char[] chars, int index, int count) => count;

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex)
    {
        for (var i = 0; i < charCount; i++)
        {
            var c = chars[charIndex + i];
            bytes[byteIndex + i] = (byte)(char.IsAsciiDigit(c) ? c : NotADigit);
        }

        return charCount;
    }

    public override int GetCharCount(byte[] bytes, int index, int count) => count;

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
        GetChars(bytes.AsSpan(byteIndex, byteCount), chars.AsSpan(charIndex));

    /// <summary>
    /// Decodes as much as fits: Kestrel offers 20 characters and refuses a value that fills them (more than 19 digits
    /// overflow a long), so a longer value must fill them rather than throw from inside its parser.
    /// </summary>
    public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        var count = Math.Min(bytes.Length, chars.Length);
        for (var i = 0; i < count; i++)
        {
            chars[i] = char.IsAsciiDigit((char)bytes[i]) ? (char)bytes[i] : NotADigit;
        }

        return count;
    }

    public override int GetMaxByteCount(int charCount) => charCount;

    public override int GetMaxCharCount(int byteCount) => byteCount;
}
