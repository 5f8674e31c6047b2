using System.Globalization;

namespace OneHop.Core.Configuration;

/// <summary>Byte sizes as operators write them: <c>512</c>, <c>64KiB</c>, <c>100MiB</c>, <c>1GiB</c> (also KB/MB/GB as powers of 1000).</summary>
internal static class Sizes
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1),
    ];

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var (suffix, factor) in Units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return Multiply(text[..^suffix.Length], factor, out bytes);
            }
        }

        return Multiply(text, 1, out bytes);
    }

    private static bool Multiply(string number, long factor, out long bytes)
    {
        bytes = 0;
        if (!double.TryParse(number.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n) || n < 0 || n * factor > long.MaxValue)
        {
            return false;
        }

        bytes = (long)(n * factor);
        return true;
    }
}
