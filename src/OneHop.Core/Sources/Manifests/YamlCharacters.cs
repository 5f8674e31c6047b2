using YamlDotNet.Core;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// The characters YAML allows in a stream (YAML 1.2, c-printable). YamlDotNet takes a NUL for the end of the stream
/// and silently drops everything after it, so a damaged file would load as a shorter, valid one: refused instead.
/// </summary>
internal static class YamlCharacters
{
    /// <summary>Throws a <see cref="YamlStructureException"/> at the first character YAML does not allow.</summary>
    public static void Check(string text)
    {
        long line = 1, column = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                column++;
                continue;
            }

            if (!IsPrintable(c))
            {
                throw new YamlStructureException(new Mark(i, line, column), new Mark(i + 1, line, column + 1), $"the character U+{(int)c:X4} is not allowed in YAML (a damaged or binary file?)");
            }

            (line, column) = c == '\n' ? (line + 1, 1) : (line, column + 1);
        }
    }

    private static bool IsPrintable(char c) =>
        c is '\t' or '\n' or '\r' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');
}
