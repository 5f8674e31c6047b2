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
    /// with Set-Cookie, Vary: * or Cache-Control no-store, no-cache or private, nor for a status no rule covers;
    /// otherwise Cache-Control's s-maxage or max-age, else the first rule that covers the status. Null: not kept.
    /// </summary>
    public static TimeSpan? Lifetime(HttpResponseMessage response, RouteAuthCache cache)
    {
        var headers = response.Headers;
        if (headers.Contains("Set-Cookie") || headers.Vary.Contains("*"))
        {
            return null;
        }

        var rule = cache.Valid.FirstOrDefault(r => r.Covers((int)response.StatusCode));
        var lifetime = headers.CacheControl switch
        {
            { NoStore: true } or { NoCache: true } or { Private: true } => TimeSpan.Zero,
            { SharedMaxAge: { } shared } => shared,
            { MaxAge: { } max } => max,
            _ => rule?.Duration,
        };
        return rule is null || lifetime is not { } kept || kept <= TimeSpan.Zero ? null : kept;
    }
}
