using System.Text.RegularExpressions;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>The proxy-redirect-* and proxy-cookie-* annotations: nginx's rewrites of the pods' Location, Refresh and Set-Cookie.</summary>
internal static partial class NginxAnnotations
{
    private const string RedirectNote = "the two values of nginx's proxy_redirect, applied to the pods' Location and Refresh headers on both forwarders (HTTP/1.1 and HTTP/2/gRPC pods): a Location that starts with proxy-redirect-from (case-sensitive) has that start replaced by proxy-redirect-to, or after ~ (~* without case) a regular expression replaces the whole value, with $1 to $9, $host and $scheme in the replacement; a replacement that starts with / gets the request's scheme and host in front (nginx's absolute_redirect); off (the default) and default rewrite nothing (ingress-nginx's default rewrites only its internal upstream name, which no pod sends), nor does proxy-redirect-from without proxy-redirect-to; no spaces; other nginx variables, and regex features .NET's non-backtracking engine lacks, are refused";

    private const string CookieDomainNote = "off, or FROM TO as nginx's proxy_cookie_domain, on both forwarders: a Set-Cookie Domain equal to FROM without case (a leading dot ignored on both, and kept on the cookie) becomes TO; after ~ FROM is a regular expression matched without case, and TO may hold $1 to $9 and $host";

    private const string CookiePathNote = "off, or FROM TO as nginx's proxy_cookie_path, on both forwarders: a Set-Cookie Path that starts with FROM (case-sensitive) has that start replaced by TO; after ~ (~* without case) FROM is a regular expression that replaces the whole Path, TO may hold $1 to $9 and $host; ingress-nginx's default is off";

    private static string? ProxyRedirectFrom(string value, NginxSettingsBuilder settings) =>
        RewriteValue(value, isPattern: true) ?? Set(() => settings.ProxyRedirectFrom = value);

    private static string? ProxyRedirectTo(string value, NginxSettingsBuilder settings) =>
        RewriteValue(value, isPattern: false) ?? Set(() => settings.ProxyRedirectTo = value);

    private static string? ProxyCookieDomain(string value, NginxSettingsBuilder settings) =>
        value == "off" ? Set(() => settings.ProxyCookieDomain = null)
        : !CookieDomainSyntax().IsMatch(value) ? $"'{value}' is not off or two domains (FROM TO) as ingress-nginx accepts them"
        : FromTo(value, ValueRewriteKind.Domain, pair => settings.ProxyCookieDomain = pair);

    private static string? ProxyCookiePath(string value, NginxSettingsBuilder settings)
    {
        if (value == "off")
        {
            return Set(() => settings.ProxyCookiePath = null);
        }

        var parts = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length != 2 || !RewriteSyntax().IsMatch(parts[0] + parts[1]) ? $"'{value}' is not off or two paths (FROM TO) as nginx's proxy_cookie_path takes them"
            : FromTo(value, ValueRewriteKind.Prefix, pair => settings.ProxyCookiePath = pair);
    }

    /// <summary>One value of proxy_redirect: ingress-nginx's characters, no spaces (nginx would take a third value), a usable expression or replacement.</summary>
    private static string? RewriteValue(string value, bool isPattern)
    {
        if (value.Length == 0 || !RewriteSyntax().IsMatch(value))
        {
            return $"'{value}' is not one word of letters, digits and the URL and regex characters ingress-nginx allows (no spaces)";
        }

        return value is "off" || (isPattern && value is "default") ? null
            : isPattern ? ValueRewrite.PatternProblem(value, ValueRewriteKind.Prefix) : ValueRewrite.ReplacementProblem(value);
    }

    private static string? FromTo(string value, ValueRewriteKind kind, Action<(string, string)> set)
    {
        var parts = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (ValueRewrite.Create(parts[0], parts[1], kind, out var problem) is null)
        {
            return problem;
        }

        set((parts[0], parts[1]));
        return null;
    }

    private static string? Set(Action set)
    {
        set();
        return null;
    }

    /// <summary>ingress-nginx's URLWithPCRERegex: letters, digits, <c>-._~/:,?&amp;=</c> and the regex characters.</summary>
    [GeneratedRegex(@"^[\^$\[\](){}*+?|&=\\\-._~a-zA-Z0-9/:,]+$")]
    private static partial Regex RewriteSyntax();

    /// <summary>ingress-nginx's check of proxy-cookie-domain (its cookieDomainRegex, off aside).</summary>
    [GeneratedRegex(@"^[\-._~a-zA-Z0-9/:]+\s+[\-._~a-zA-Z0-9/:]+$")]
    private static partial Regex CookieDomainSyntax();
}
