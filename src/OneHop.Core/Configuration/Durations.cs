using System.Globalization;

namespace OneHop.Core.Configuration;

/// <summary>Durations as operators write them: <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>.</summary>
internal static class Durations
{
    /// <summary>
    /// The longest duration accepted anywhere: 24 days, just under the <c>int.MaxValue</c> milliseconds that timers,
    /// <c>Task.Delay</c> and <c>CancelAfter</c> take. A longer value would throw in the data plane, far from the
    /// annotation that asked for it, so it is refused where it is read.
    /// </summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(24);

    /// <summary>
    /// Parses a duration of at most <see cref="Max"/>; false for anything else, including values too large for a
    /// <see cref="TimeSpan"/> (never throws, whatever the text).
    /// </summary>
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
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
            || !double.IsFinite(n) || n < 0 || n * unit.Ticks > Max.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)(n * unit.Ticks));
        return true;
    }

    /// <summary>The error text for a value <see cref="TryParse"/> refused.</summary>
    public static string Invalid(string? text, bool positive = false) =>
        $"'{text}' is not a {(positive ? "positive " : string.Empty)}duration such as 250ms, 5s or 2m (at most {Format(Max)})";

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds < 1000 || value.Milliseconds != 0
            ? $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms"
            : value.TotalSeconds % 3600 == 0
                ? $"{(value.TotalSeconds / 3600).ToString(CultureInfo.InvariantCulture)}h"
                : $"{value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
}
