using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using OneHop.Core.Proxy.Http1;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Applies a route's filters to the request and its response: header edits and the URL rewrite change the inbound
/// request before any forwarder reads it (both forwarders read the raw target, Host and headers from it), response
/// edits run when the response starts, and a redirect is answered here. Only routes with filters pay for any of this.
/// </summary>
internal static class RouteFilterActions
{
    public static void ApplyToRequest(HttpContext context, ProxyRequest proxyRequest, Route route, RouteFilters filters)
    {
        var request = context.Request;
        if (filters.Request is { } edits)
        {
            Edit(request.Headers, edits);
            foreach (var (name, value) in edits.Set)
            {
                if (name.Equals(ClientIdentity.Prefix, StringComparison.OrdinalIgnoreCase))
                {
                    proxyRequest.ForwardedPrefix = value;
                }
            }
        }

        if (filters.Rewrite is { } rewrite)
        {
            if (rewrite.Host is { } host)
            {
                // A backendRef's rewrite after the rule's: the client's Host is the one before the first.
                proxyRequest.HostBeforeRewrite ??= request.Host.Value;
                request.Host = new HostString(host);
            }

            if (rewrite.Path is { } path && context.Features.Get<IHttpRequestFeature>() is { } feature)
            {
                var (rawPath, query) = SplitTarget(feature.RawTarget, request);
                var rewritten = path.Apply(rawPath, MatchedPrefix(route));
                feature.RawTarget = rewritten + query;
                request.Path = PathString.FromUriComponent(rewritten);
            }
        }

        if (filters.ClientCertificate is { } clientCertificate)
        {
            ClientCertificateHeaders.Set(context, clientCertificate);
        }

        if (filters.Cors is { } cors && cors.AllowOrigin(request.Headers.Origin) is { } origin)
        {
            context.Response.OnStarting(static state =>
            {
                var (response, cors, origin) = ((HttpResponse, RouteCors, string))state;
                CorsHeaders(response.Headers, cors, origin);
                return Task.CompletedTask;
            }, (context.Response, cors, origin));
        }

        if (filters.Response is { } responseEdits)
        {
            context.Response.OnStarting(static state =>
            {
                var (response, edits) = ((HttpResponse, HeaderEdits))state;
                Edit(response.Headers, edits);
                return Task.CompletedTask;
            }, (context.Response, responseEdits));
        }

        if (filters.ResponseRewrite is { } responseRewrite)
        {
            // Registered last, so it runs first (OnStarting is last in, first out): nginx rewrites the pod's headers
            // before add_header and more_set_headers add theirs. $host is the client's, before any upstream-vhost.
            var host = (proxyRequest.HostBeforeRewrite is { } before ? new HostString(before) : request.Host).Host.ToLowerInvariant();
            context.Response.OnStarting(static state =>
            {
                var (response, rewrite, host) = ((HttpResponse, RouteResponseRewrite, string))state;
                ResponseRewrites.Apply(response.Headers, rewrite, host, response.HttpContext.Request.Scheme);
                return Task.CompletedTask;
            }, (context.Response, responseRewrite, host));
        }
    }

    /// <summary>
    /// Answers a CORS preflight of an allowed origin with 204 and the route's Access-Control-* headers, as ingress-nginx
    /// does for every OPTIONS request when enable-cors is set; false when the request is not one. A <c>*</c> of methods or
    /// headers answers what the preflight asks for (a credentialed answer may not say <c>*</c>, and naming them is
    /// right either way); nothing when it asks for none.
    /// </summary>
    public static bool TryAnswerPreflight(HttpContext context, RouteCors cors, out Task answered)
    {
        answered = Task.CompletedTask;
        var request = context.Request;
        if (!HttpMethods.IsOptions(request.Method) || cors.AllowOrigin(request.Headers.Origin) is not { } origin)
        {
            return false;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status204NoContent;
        CorsHeaders(response.Headers, cors, origin);
        var methods = cors.Methods == "*" ? request.Headers.AccessControlRequestMethod : new StringValues(cors.Methods);
        if (!StringValues.IsNullOrEmpty(methods))
        {
            response.Headers.AccessControlAllowMethods = methods;
        }

        var headers = cors.Headers == "*" ? request.Headers.AccessControlRequestHeaders : new StringValues(cors.Headers);
        if (!StringValues.IsNullOrEmpty(headers))
        {
            response.Headers.AccessControlAllowHeaders = headers;
        }

        response.Headers.AccessControlMaxAge = cors.MaxAge.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = 0;
        return true;
    }

    private static void CorsHeaders(IHeaderDictionary headers, RouteCors cors, string origin)
    {
        headers.AccessControlAllowOrigin = origin;
        if (cors.Credentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (cors.Expose is { } expose)
        {
            headers.AccessControlExposeHeaders = expose;
        }

        if (origin != "*")
        {
            headers.Append("Vary", "Origin");
        }
    }

    /// <summary>
    /// Applies a route's body limit (<paramref name="limit"/> bytes, 0 for none) in place of the listener's: false when the
    /// declared length is already over it; a chunked body over it fails as it is read, and Kestrel gives that 413.
    /// </summary>
    public static bool LimitBody(HttpContext context, long limit)
    {
        if (limit > 0 && context.Request.ContentLength > limit)
        {
            return false;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit == 0 ? null : limit;
        }

        return true;
    }

    /// <summary>Answers <paramref name="redirect"/>: Location from the request with the redirect's parts, as Gateway API says.</summary>
    public static Task RedirectAsync(HttpContext context, Route route, RouteRedirect redirect)
    {
        var request = context.Request;
        var scheme = redirect.Scheme ?? request.Scheme;
        var host = redirect.Host ?? HostOnly(request.Host);

        // No port given: the scheme's own when the scheme changes, else the listener's (the Gateway's port, not the socket's).
        var port = redirect.Port ?? (redirect.Scheme is not null ? DefaultPort(scheme) : route.Port != 0 ? route.Port : context.Connection.LocalPort);
        var (rawPath, query) = SplitTarget(context.Features.Get<IHttpRequestFeature>()?.RawTarget, request);
        var path = redirect.Path?.Apply(rawPath, MatchedPrefix(route)) ?? rawPath;
        var authority = redirect.NginxAuthority ? redirect.Host ?? request.Host.Value
            : port == DefaultPort(scheme) ? host : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
        var response = context.Response;
        response.StatusCode = redirect.StatusCode;
        response.Headers.Location = $"{scheme}://{authority}{path}{(redirect.DropQuery ? string.Empty : query)}";
        response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static void Edit(IHeaderDictionary headers, HeaderEdits edits)
    {
        foreach (var (name, value) in edits.Set)
        {
            headers[name] = value;
        }

        foreach (var (name, value) in edits.Add)
        {
            headers.Append(name, value);
        }

        foreach (var name in edits.Remove)
        {
            headers.Remove(name);
        }
    }

    /// <summary>The path and the query (with its '?') of the target as sent; the decoded path when there is none.</summary>
    private static (string Path, string Query) SplitTarget(string? rawTarget, HttpRequest request)
    {
        var target = RawTargets.PathAndQuery(rawTarget);
        if (target.IsEmpty)
        {
            return (request.Path.HasValue ? request.Path.ToUriComponent() : "/", request.QueryString.Value ?? string.Empty);
        }

        var q = target.IndexOf('?');
        return q < 0 ? (target.ToString(), string.Empty) : (target[..q].ToString(), target[q..].ToString());
    }

    private static string MatchedPrefix(Route route) => route.PathType == Configuration.PathMatchType.Prefix ? Configuration.PathRules.PrefixKey(route.Path) : route.Path;

    private static string HostOnly(HostString host) => host.Host;

    private static int DefaultPort(string scheme) => scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
}
