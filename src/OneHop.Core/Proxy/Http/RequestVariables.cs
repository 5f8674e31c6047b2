using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using OneHop.Core.Proxy.Http1;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>What the nginx variables of a <see cref="RequestTemplate"/> say of a request (auth-url, auth-cache-key, mirror-target).</summary>
internal static class RequestVariables
{
    /// <summary>nginx's <c>$request_uri</c>: the path and query as the client sent them.</summary>
    public static string RequestUri(HttpContext context)
    {
        var raw = RawTargets.PathAndQuery(context.Features.Get<IHttpRequestFeature>()?.RawTarget);
        return raw.IsEmpty ? $"{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}" : raw.ToString();
    }

    public static string Value(RequestVariable variable, string? name, HttpContext context) => variable switch
    {
        RequestVariable.Scheme => context.Request.Scheme,
        RequestVariable.Host => context.Request.Host.Host.ToLowerInvariant(),
        RequestVariable.HttpHost => context.Request.Host.Value ?? string.Empty,
        RequestVariable.RequestUri => RequestUri(context),
        RequestVariable.EscapedRequestUri => Uri.EscapeDataString(RequestUri(context)),
        RequestVariable.Header => Header(context.Request.Headers, name!),
        RequestVariable.Cookie => CookieValue(context.Request.Headers.Cookie, name!),
        RequestVariable.QueryArgument => QueryArgument(context.Request.QueryString.Value, name!),
        RequestVariable.RemoteUser => BasicCredentials.Read(context.Request.Headers.Authorization.ToString())?.User ?? string.Empty,
        RequestVariable.RemoteAddress => context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
        RequestVariable.RequestMethod => context.Request.Method,
        _ => context.Request.Path.HasValue ? context.Request.Path.Value : "/",
    };

    /// <summary>
    /// nginx's <c>$arg_NAME</c> (ngx_http_arg): the value of the first <c>NAME=</c> of the query as sent, not decoded, the
    /// name compared ignoring case; empty without one. Raw, as nginx's: a decoded value put into a URL template could
    /// add parameters of its own (<c>%26admin%3Dtrue</c>).
    /// </summary>
    internal static string QueryArgument(string? query, string name) =>
        FirstValue(query.AsSpan().StartsWith('?') ? query.AsSpan(1) : query.AsSpan(), '&', name) ?? string.Empty;

    /// <summary>
    /// nginx's <c>$cookie_NAME</c>: the value of the first <c>NAME=</c> among the Cookie headers' pairs, as sent (not
    /// decoded, for the same reason as <see cref="QueryArgument"/>), the name compared ignoring case; empty without one.
    /// </summary>
    internal static string CookieValue(StringValues headers, string name)
    {
        foreach (var header in headers)
        {
            if (FirstValue(header, ';', name) is { } value)
            {
                return value;
            }
        }

        return string.Empty;
    }

    /// <summary>The value of the first <c>NAME=VALUE</c> in a list of pairs split by <paramref name="separator"/> (spaces before a name skipped).</summary>
    private static string? FirstValue(ReadOnlySpan<char> pairs, char separator, string name)
    {
        while (!pairs.IsEmpty)
        {
            var end = pairs.IndexOf(separator);
            var pair = (end < 0 ? pairs : pairs[..end]).TrimStart(' ');
            if (pair.Length > name.Length && pair[name.Length] == '=' && pair[..name.Length].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return pair[(name.Length + 1)..].TrimEnd(' ').ToString();
            }

            pairs = end < 0 ? default : pairs[(end + 1)..];
        }

        return null;
    }

    /// <summary>nginx's <c>$http_NAME</c>: a repeated header's values joined by ", " (Cookie's by "; ").</summary>
    private static string Header(IHeaderDictionary headers, string name) =>
        string.Join(name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "; " : ", ", (IEnumerable<string?>)headers[name]);
}
