using System.Collections.Immutable;
using System.Globalization;

namespace OneHop.Core.Routing;

/// <summary>
/// CORS, one engine for ingress-nginx's <c>enable-cors</c> and Gateway API's CORS filter: an allowed Origin gets
/// Access-Control-* headers on every response, and its preflight (OPTIONS) is answered 204 by OneHop without reaching
/// the pod.
/// </summary>
/// <param name="Origins">
/// Allowed origins: <c>*</c>, <c>https://app.example.com</c>, <c>https://*.example.com</c> (any number of labels in
/// front of <c>example.com</c>) or <c>https://*</c> (any host); a port left out is the scheme's (80 or 443).
/// </param>
/// <param name="Methods">Access-Control-Allow-Methods; <c>*</c> answers the method the preflight asks for; empty for none.</param>
/// <param name="Headers">Access-Control-Allow-Headers; <c>*</c> answers the headers the preflight asks for; empty for none.</param>
/// <param name="MaxAge">Seconds a browser may cache the preflight's answer.</param>
internal sealed record RouteCors(ImmutableArray<string> Origins, string Methods, string Headers, string? ExposeHeaders, bool Credentials, int MaxAge)
{
    /// <summary>The Access-Control-Allow-Origin for <paramref name="origin"/>, or null when it is not allowed.</summary>
    public string? AllowOrigin(string? origin)
    {
        if (Origins.Contains("*"))
        {
            return Credentials && origin is not null ? origin : "*"; // a credentialed answer may not say *
        }

        if (origin is null)
        {
            return null;
        }

        foreach (var allowed in Origins)
        {
            if (Allows(allowed, origin))
            {
                return origin;
            }
        }

        return null;
    }

    /// <summary>
    /// The Access-Control-Expose-Headers of a response; null for none. A credentialed answer may not say <c>*</c> (the
    /// Fetch standard reads it as a header name then), so it is left out.
    /// </summary>
    public string? Expose => ExposeHeaders is { Length: > 0 } expose && !(Credentials && expose == "*") ? expose : null;

    private static bool Allows(string allowed, string origin)
    {
        if (!Split(allowed, out var allowedScheme, out var allowedHost, out var allowedPort)
            || !Split(origin, out var scheme, out var host, out var port)
            || !allowedScheme.Equals(scheme, StringComparison.OrdinalIgnoreCase) || allowedPort != port)
        {
            return false;
        }

        if (allowedHost is "*")
        {
            return true;
        }

        return allowedHost.StartsWith("*.", StringComparison.Ordinal)
            ? host.Length > allowedHost.Length - 1 && host.EndsWith(allowedHost[1..], StringComparison.OrdinalIgnoreCase)
            : allowedHost.Equals(host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An origin's scheme, host and port (the scheme's own when left out); false when it is not <c>scheme://host</c>.</summary>
    private static bool Split(ReadOnlySpan<char> origin, out ReadOnlySpan<char> scheme, out ReadOnlySpan<char> host, out int port)
    {
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        scheme = host = default;
        port = 0;
        if (separator <= 0 || separator + 3 == origin.Length)
        {
            return false;
        }

        scheme = origin[..separator];
        host = origin[(separator + 3)..];
        var colon = host.LastIndexOf(':');
        if (colon > host.LastIndexOf(']'))
        {
            if (!int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port))
            {
                return false;
            }

            host = host[..colon];
            return host.Length > 0;
        }

        port = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? 443 : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? 80 : 0;
        return true;
    }

    public bool Equals(RouteCors? other) =>
        other is not null && Origins.SequenceEqual(other.Origins) && Methods == other.Methods && Headers == other.Headers
        && ExposeHeaders == other.ExposeHeaders && Credentials == other.Credentials && MaxAge == other.MaxAge;

    public override int GetHashCode() => HashCode.Combine(Methods, Headers, MaxAge, Origins.Length);
}
