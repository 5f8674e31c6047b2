using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Applies a route's <see cref="RouteResponseRewrite"/> to the answer's head as the response starts, whichever forwarder
/// copied it (both fill the client's response headers): Location, Refresh's <c>url=</c>, and the Domain and Path of each
/// Set-Cookie, as nginx rewrites them. A value that does not match is left as it is.
/// </summary>
internal static class ResponseRewrites
{
    /// <param name="host">nginx's <c>$host</c>: the client's Host, lower case, without its port.</param>
    /// <param name="scheme">The client's scheme, put with <paramref name="host"/> in front of a rewritten Location that starts with '/'
    /// (ingress-nginx leaves absolute_redirect on, port_in_redirect off).</param>
    public static void Apply(IHeaderDictionary headers, RouteResponseRewrite rewrite, string host, string scheme)
    {
        if (rewrite.Redirect is { } redirect)
        {
            if (headers.Location is [{ } location] && redirect.Apply(location, host, scheme) is { } rewritten)
            {
                headers.Location = rewritten.StartsWith('/') ? string.Concat(scheme, "://", host, rewritten) : rewritten;
            }

            if (headers.TryGetValue("Refresh", out var refresh) && refresh is [{ } value] && Refresh(value, redirect, host, scheme) is { } newRefresh)
            {
                headers["Refresh"] = newRefresh;
            }
        }

        if ((rewrite.CookieDomain is not null || rewrite.CookiePath is not null) && headers.SetCookie is { Count: > 0 } cookies)
        {
            string[]? changed = null;
            for (var i = 0; i < cookies.Count; i++)
            {
                if (Cookie(cookies[i]!, rewrite, host, scheme) is { } cookie)
                {
                    changed ??= cookies.ToArray()!;
                    changed[i] = cookie;
                }
            }

            if (changed is not null)
            {
                headers.SetCookie = new StringValues(changed);
            }
        }
    }

    /// <summary>Refresh (<c>5; url=http://...</c>) with the URL after <c>url=</c> rewritten, or null.</summary>
    private static string? Refresh(string value, ValueRewrite redirect, string host, string scheme)
    {
        var at = value.IndexOf("url=", StringComparison.OrdinalIgnoreCase);
        return at >= 0 && redirect.Apply(value[(at + 4)..], host, scheme) is { } url ? string.Concat(value.AsSpan(0, at + 4), url) : null;
    }

    /// <summary>The Set-Cookie value with its Domain and Path attributes rewritten, or null when neither changed.</summary>
    private static string? Cookie(string cookie, RouteResponseRewrite rewrite, string host, string scheme)
    {
        StringBuilder? text = null;
        var copied = 0;
        var start = cookie.IndexOf(';');
        while (start >= 0)
        {
            var end = cookie.IndexOf(';', start + 1);
            var attribute = end < 0 ? cookie.AsSpan(start + 1) : cookie.AsSpan(start + 1, end - start - 1);
            var name = attribute.TrimStart();
            var offset = start + 1 + (attribute.Length - name.Length);
            var rule = name.StartsWith("domain=", StringComparison.OrdinalIgnoreCase) ? (rewrite.CookieDomain, 7)
                : name.StartsWith("path=", StringComparison.OrdinalIgnoreCase) ? (rewrite.CookiePath, 5) : (null, 0);
            if (rule is ({ } valueRewrite, var length))
            {
                var valueStart = offset + length;
                var valueEnd = end < 0 ? cookie.Length : end;
                if (valueRewrite.Apply(cookie[valueStart..valueEnd], host, scheme) is { } rewritten)
                {
                    text ??= new StringBuilder(cookie.Length + 16);
                    text.Append(cookie, copied, valueStart - copied).Append(rewritten);
                    copied = valueEnd;
                }
            }

            start = end;
        }

        return text?.Append(cookie, copied, cookie.Length - copied).ToString();
    }
}
