using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// auth-cache-duration as ingress-nginx writes it into nginx's <c>proxy_cache_valid</c>: comma-separated rules, each
/// status codes (or <c>any</c>) then one time (<c>5m</c>, <c>1h30m</c>, <c>90</c> seconds); a rule without codes covers
/// 200, 301 and 302, as nginx's does.
/// </summary>
internal static partial class NginxAuthCache
{
    /// <summary>ingress-nginx's DefaultCacheDuration, "200 202 401 5m".</summary>
    public static readonly ImmutableArray<AuthCacheValidity> DefaultDuration = [new([200, 202, 401], TimeSpan.FromMinutes(5))];

    private static readonly ImmutableArray<int> WithoutCodes = [200, 301, 302];

    /// <summary>The rules of <paramref name="value"/>; null with <paramref name="problem"/> when one is not nginx's syntax.</summary>
    public static ImmutableArray<AuthCacheValidity>? Parse(string value, out string? problem)
    {
        problem = null;
        var rules = ImmutableArray.CreateBuilder<AuthCacheValidity>();
        foreach (var rule in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var words = rule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (Time(words[^1]) is not { } duration)
            {
                problem = $"'{rule}' does not end in a time such as 5m, 1h30m or 90 (seconds)";
                return null;
            }

            var statuses = ImmutableArray.CreateBuilder<int>();
            var any = false;
            foreach (var word in words[..^1])
            {
                if (word == "any")
                {
                    any = true;
                }
                else if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599)
                {
                    statuses.Add(status);
                }
                else
                {
                    problem = $"'{word}' in '{rule}' is neither a status code (100 to 599) nor any; the time comes last, once";
                    return null;
                }
            }

            rules.Add(new AuthCacheValidity(any ? [] : words.Length == 1 ? WithoutCodes : statuses.ToImmutable(), duration));
        }

        if (rules.Count == 0)
        {
            problem = "no rule: give status codes and a time, e.g. 200 202 401 5m";
            return null;
        }

        return rules.ToImmutable();
    }

    /// <summary>nginx's time in seconds mode (ngx_parse_time): units y, M, w, d, h, m, s, largest first, each at most once; a bare number is seconds.</summary>
    private static TimeSpan? Time(string text)
    {
        var match = TimeSyntax().Match(text);
        if (!match.Success)
        {
            return null;
        }

        long seconds = 0;
        foreach (var (group, unit) in new[] { ("y", 365 * 86400L), ("M", 30 * 86400L), ("w", 7 * 86400L), ("d", 86400L), ("h", 3600L), ("m", 60L), ("s", 1L), ("bare", 1L) })
        {
            if (match.Groups[group].Success)
            {
                seconds += long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) * unit;
            }
        }

        return seconds is >= 0 and <= int.MaxValue ? TimeSpan.FromSeconds(seconds) : null;
    }

    [GeneratedRegex(@"^(?:(?<bare>\d{1,9})|(?:(?<y>\d{1,9})y)?(?:(?<M>\d{1,9})M)?(?:(?<w>\d{1,9})w)?(?:(?<d>\d{1,9})d)?(?:(?<h>\d{1,9})h)?(?:(?<m>\d{1,9})m)?(?:(?<s>\d{1,9})s)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeSyntax();
}
