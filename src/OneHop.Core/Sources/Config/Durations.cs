using System.Globalization;

namespace OneHop.Core.Sources.Config;

/// <summary>Durations as operators write them: <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal)
            ? (text[..^2], TimeSpan.FromMilliseconds(1))
            : text[^1] switch
            {
                's' => (text[..^1], TimeSpan.FromSeconds(1)),
                'm' => (text[..^1], TimeSpan.FromMinutes(1)),
                'h' => (text[..^1], TimeSpan.FromHours(1)),
                _ => (string.Empty, TimeSpan.Zero),
            };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            return false;
        }

        value = unit * n;
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds < 1000 || value.Milliseconds != 0
            ? $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms"
            : $"{value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
}
