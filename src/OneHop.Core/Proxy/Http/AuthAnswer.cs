using System.Collections.Immutable;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// What the authentication service answered, as much as the client's request needs of it: fresh, or kept for
/// auth-cache-key and given to the requests with the same key.
/// </summary>
/// <param name="Status">The service's status.</param>
/// <param name="Challenge">WWW-Authenticate of a 401, passed to the client.</param>
/// <param name="Cookies">Set-Cookie values, added to the client's response (an answer with them is never kept).</param>
/// <param name="Passed">auth-response-headers with the service's value, null where it sent none.</param>
internal sealed record AuthAnswer(int Status, string? Challenge, string[]? Cookies, ImmutableArray<(string Name, string? Value)> Passed)
{
    /// <summary>The metrics' name for a check that got no meaningful answer: no answer, or a status other than 2xx, 401 and 403.</summary>
    public const string Failed = "failed";

    /// <summary>What the answer means for the request, as the metrics name it: allowed, unauthorized, forbidden or failed.</summary>
    public string Meaning => Status switch
    {
        >= 200 and < 300 => "allowed",
        401 => "unauthorized",
        403 => "forbidden",
        _ => Failed,
    };

    public static AuthAnswer Of(HttpResponseMessage response, ImmutableArray<string> passed)
    {
        var values = ImmutableArray.CreateBuilder<(string, string?)>(passed.Length);
        foreach (var name in passed)
        {
            values.Add((name, response.Headers.TryGetValues(name, out var found) || response.Content.Headers.TryGetValues(name, out found) ? string.Join(", ", found) : null));
        }

        return new AuthAnswer(
            (int)response.StatusCode,
            response.Headers.WwwAuthenticate.Count > 0 ? response.Headers.WwwAuthenticate.ToString() : null,
            response.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : null,
            values.MoveToImmutable());
    }

    /// <summary>
    /// How long the answer may be given to later requests with the same key, as nginx's proxy cache decides: not at all
    /// with Set-Cookie or Vary: *, nor for a status no rule covers; otherwise X-Accel-Expires (seconds, or <c>@</c> a
    /// Unix time; 0 keeps nothing), else Cache-Control (no-store, no-cache or private keep nothing; s-maxage, else
    /// max-age), else Expires, else the first rule that covers the status. Null: not kept.
    /// </summary>
    public static TimeSpan? Lifetime(HttpResponseMessage response, RouteAuthCache cache, DateTimeOffset now)
    {
        var headers = response.Headers;
        if (headers.Contains("Set-Cookie") || headers.Vary.Contains("*"))
        {
            return null;
        }

        var rule = cache.Valid.FirstOrDefault(r => r.Covers((int)response.StatusCode));
        var lifetime = AccelExpires(headers, now) ?? headers.CacheControl switch
        {
            { NoStore: true } or { NoCache: true } or { Private: true } => TimeSpan.Zero,
            { SharedMaxAge: { } shared } => shared,
            { MaxAge: { } max } => max,
            _ => response.Content.Headers.Expires is { } expires ? expires - now : rule?.Duration,
        };
        return rule is null || lifetime is not { } kept || kept <= TimeSpan.Zero ? null : kept;
    }

    /// <summary>nginx's X-Accel-Expires: seconds from now, or <c>@</c> and a Unix time; null when absent or not a number.</summary>
    private static TimeSpan? AccelExpires(System.Net.Http.Headers.HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (!headers.TryGetValues("X-Accel-Expires", out var values))
        {
            return null;
        }

        var text = values.First().Trim();
        var at = text.StartsWith('@');
        return long.TryParse(at ? text[1..] : text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? at ? DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253_402_300_799)) - now : TimeSpan.FromSeconds(Math.Min(seconds, int.MaxValue))
            : null;
    }
}
