using System.Collections.Immutable;

namespace OneHop.Core.Routing;

/// <summary>
/// CORS as ingress-nginx's <c>enable-cors</c> does it: an allowed Origin gets Access-Control-* headers on every
/// response, and its preflight (OPTIONS) is answered 204 by OneHop without reaching the pod.
/// </summary>
/// <param name="Origins">Allowed origins: <c>*</c>, <c>https://app.example.com</c>, or <c>https://*.example.com</c> (any subdomain).</param>
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

        return origin is not null && Origins.Any(o => Allows(o, origin)) ? origin : null;
    }

    private static bool Allows(string allowed, string origin)
    {
        var star = allowed.IndexOf("://*.", StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase);
        }

        var scheme = allowed[..(star + 3)];
        var suffix = allowed[(star + 4)..]; // ".example.com", maybe with a port
        return origin.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && origin.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
            && origin.Length > scheme.Length + suffix.Length;
    }

    public bool Equals(RouteCors? other) =>
        other is not null && Origins.SequenceEqual(other.Origins) && Methods == other.Methods && Headers == other.Headers
        && ExposeHeaders == other.ExposeHeaders && Credentials == other.Credentials && MaxAge == other.MaxAge;

    public override int GetHashCode() => HashCode.Combine(Methods, Headers, MaxAge, Origins.Length);
}
