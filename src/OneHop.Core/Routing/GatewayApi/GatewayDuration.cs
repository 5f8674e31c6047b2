using System.Globalization;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>Gateway API durations (GEP-2257): one to four of <c>N h|m|s|ms</c>, e.g. <c>1h</c>, <c>1m30s</c>, <c>500ms</c>; <c>0s</c> means none.</summary>
internal static partial class GatewayDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (!Format().IsMatch(text))
        {
            return false;
        }

        foreach (Match part in Part().Matches(text))
        {
            var n = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            value += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                _ => TimeSpan.FromMilliseconds(n),
            };
        }

        return value <= Configuration.Durations.Max;
    }

    [GeneratedRegex("^([0-9]{1,5}(h|m|s|ms)){1,4}$")]
    private static partial Regex Format();

    [GeneratedRegex("([0-9]{1,5})(ms|h|m|s)")]
    private static partial Regex Part();
}
