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
    /// Parses a duration of at most <see cref="Max"/>: one or more numbers each with its unit, as Go and Kubernetes
    /// write them (<c>90s</c>, <c>1m30s</c>, <c>1.5h</c>); false for anything else, including values too large for a
    /// <see cref="TimeSpan"/> (never throws, whatever the text).
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var ticks = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var number = text[start..i];
            long unit;
            if (text.AsSpan(i).StartsWith("ms", StringComparison.Ordinal))
            {
                (unit, i) = (TimeSpan.TicksPerMillisecond, i + 2);
            }
            else
            {
                (unit, i) = (i < text.Length ? text[i] : '\0') switch
                {
                    's' => (TimeSpan.TicksPerSecond, i + 1),
                    'm' => (TimeSpan.TicksPerMinute, i + 1),
                    'h' => (TimeSpan.TicksPerHour, i + 1),
                    _ => (0, i),
                };
            }

            if (unit == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
            {
                return false;
            }

            ticks += n * unit;
            if (ticks > Max.Ticks)
            {
                return false;
            }
        }

        value = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>The error text for a value <see cref="TryParse"/> refused.</summary>
    public static string Invalid(string? text, bool positive = false) =>
        $"'{text}' is not a {(positive ? "positive " : string.Empty)}duration such as 250ms, 5s or 2m (at most {Format(Max)})";

    /// <summary>A duration as an operator writes one, <see cref="TryParse"/> reads it back: <c>250ms</c>, <c>10s</c>, <c>1m30s</c>, <c>2h</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return $"{value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
        }

        var hours = (long)value.TotalHours;
        var seconds = (double)(value.Ticks % TimeSpan.TicksPerMinute) / TimeSpan.TicksPerSecond;
        return (hours > 0 ? $"{hours}h" : string.Empty)
            + (value.Minutes > 0 ? $"{value.Minutes}m" : string.Empty)
            + (seconds > 0 ? $"{seconds.ToString(CultureInfo.InvariantCulture)}s" : string.Empty);
    }
}
