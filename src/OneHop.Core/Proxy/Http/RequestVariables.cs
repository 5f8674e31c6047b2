using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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
        RequestVariable.Cookie => context.Request.Cookies[name!] ?? string.Empty,
        RequestVariable.QueryArgument => context.Request.Query[name!] is { Count: > 0 } values ? values[0] ?? string.Empty : string.Empty,
        RequestVariable.RemoteUser => BasicCredentials.Read(context.Request.Headers.Authorization.ToString())?.User ?? string.Empty,
        RequestVariable.RemoteAddress => context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
        RequestVariable.RequestMethod => context.Request.Method,
        _ => context.Request.Path.HasValue ? context.Request.Path.Value : "/",
    };

    /// <summary>nginx's <c>$http_NAME</c>: a repeated header's values joined by ", " (Cookie's by "; ").</summary>
    private static string Header(IHeaderDictionary headers, string name) =>
        string.Join(name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "; " : ", ", (IEnumerable<string?>)headers[name]);
}
