using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>What the nginx variables of a <see cref="RequestTemplate"/> say of a request (auth-url, mirror-target).</summary>
internal static class RequestVariables
{
    /// <summary>nginx's <c>$request_uri</c>: the path and query as the client sent them.</summary>
    public static string RequestUri(HttpContext context)
    {
        var raw = RawTargets.PathAndQuery(context.Features.Get<IHttpRequestFeature>()?.RawTarget);
        return raw.IsEmpty ? $"{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}" : raw.ToString();
    }

    public static string Value(RequestVariable variable, HttpContext context) => variable switch
    {
        RequestVariable.Scheme => context.Request.Scheme,
        RequestVariable.Host => context.Request.Host.Host.ToLowerInvariant(),
        RequestVariable.HttpHost => context.Request.Host.Value ?? string.Empty,
        RequestVariable.RequestUri => RequestUri(context),
        RequestVariable.EscapedRequestUri => Uri.EscapeDataString(RequestUri(context)),
        _ => context.Request.Path.HasValue ? context.Request.Path.Value : "/",
    };
}
