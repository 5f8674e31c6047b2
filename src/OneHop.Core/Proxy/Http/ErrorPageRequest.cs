using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using OneHop.Core.Concurrency;
using OneHop.Core.Proxy.Http1;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Turns a request into the one ingress-nginx sends its default backend (its <c>@custom_*</c> error locations and the
/// location whose Service has no endpoint): the headers of docs/user-guide/custom-errors.md, and for an error page the
/// path <c>/</c> without the body. Both forwarders read the request from the context, so it is changed in place.
/// </summary>
internal static class ErrorPageRequest
{
    public const string Code = "X-Code";
    public const string Format = "X-Format";
    public const string OriginalUri = "X-Original-URI";
    public const string Namespace = "X-Namespace";
    public const string IngressName = "X-Ingress-Name";
    public const string ServiceName = "X-Service-Name";
    public const string ServicePort = "X-Service-Port";

    /// <summary>The Ingress's own Service has no endpoint: the request goes to the default backend as it is, with X-Code 503 (no X-Original-URI, as nginx's template sets none there).</summary>
    public static void ForFallback(HttpContext context, RouteErrorPages pages, IRandomSource random) =>
        SetHeaders(context.Request.Headers, pages, StatusCodes.Status503ServiceUnavailable, random);

    /// <summary>
    /// An answer of <paramref name="status"/> is replaced: as nginx's <c>rewrite (.*) / break</c> the path becomes <c>/</c>
    /// (the query stays), the Host is the client's, and the body, sent already or not, is not sent again.
    /// </summary>
    public static void ForErrorPage(HttpContext context, ProxyRequest proxyRequest, RouteErrorPages pages, int status, IRandomSource random)
    {
        var request = context.Request;
        var feature = context.Features.Get<IHttpRequestFeature>();

        // nginx's $request_uri: the path and query as the client sent them, before any rewrite.
        var sent = RawTargets.PathAndQuery(proxyRequest.OriginalTarget ?? feature?.RawTarget);
        var original = sent.IsEmpty ? request.Path.ToUriComponent() + request.QueryString.ToUriComponent() : sent.ToString();
        var headers = request.Headers;
        SetHeaders(headers, pages, status, random);
        headers[OriginalUri] = original;

        var query = original.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? original[q..] : string.Empty;
        if (feature is not null)
        {
            feature.RawTarget = "/" + query;
        }

        request.Path = "/";
        if (proxyRequest.HostBeforeRewrite is { } host)
        {
            request.Host = new HostString(host);
        }

        request.ContentLength = null;
        headers.Remove(HeaderNames.TransferEncoding);
        headers.Remove(HeaderNames.Expect);
        context.Features.Set<IHttpRequestBodyDetectionFeature>(NoBody.Instance);
    }

    private static void SetHeaders(IHeaderDictionary headers, RouteErrorPages pages, int status, IRandomSource random)
    {
        headers[Code] = status.ToString(CultureInfo.InvariantCulture);

        // nginx sends no header for an empty value: without Accept there is no X-Format.
        if (headers.Accept is { Count: > 0 } accept)
        {
            headers[Format] = accept;
        }
        else
        {
            headers.Remove(Format);
        }

        headers[Namespace] = pages.Namespace;
        headers[IngressName] = pages.Ingress;
        headers[ServiceName] = pages.Service;
        headers[ServicePort] = pages.ServicePort;

        RequestIds.Ensure(headers, random);
    }

    /// <summary>Says the request has no body, whatever its headers said: neither forwarder then sends one.</summary>
    private sealed class NoBody : IHttpRequestBodyDetectionFeature
    {
        public static readonly NoBody Instance = new();

        public bool CanHaveBody => false;
    }
}
