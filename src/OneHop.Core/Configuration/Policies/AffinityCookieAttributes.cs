namespace OneHop.Core.Configuration.Policies;

/// <summary>
/// The attributes of the <c>cookie</c> affinity cookie beyond its name (ingress-nginx's <c>session-cookie-*</c>). Without
/// them the cookie is a session cookie for path <c>/</c>, SameSite=Lax, Secure over HTTPS only.
/// </summary>
/// <param name="Path">The cookie's Path.</param>
/// <param name="MaxAgeSeconds">Max-Age, in seconds; null for none.</param>
/// <param name="ExpiresSeconds">Expires, this many seconds after the response; null for none.</param>
/// <param name="SameSite">None, Lax or Strict; null for Lax.</param>
/// <param name="Secure">Secure always (true) or never (false); null for over HTTPS only.</param>
/// <param name="Domain">The cookie's Domain; null for the request's host only.</param>
internal sealed record AffinityCookieAttributes(
    string Path = "/",
    int? MaxAgeSeconds = null,
    int? ExpiresSeconds = null,
    string? SameSite = null,
    bool? Secure = null,
    string? Domain = null);
