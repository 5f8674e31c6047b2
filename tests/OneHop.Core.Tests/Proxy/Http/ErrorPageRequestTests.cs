using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Balancing;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>
/// The request the default backend gets (ingress-nginx's <c>@custom_*</c> error location and its location without
/// endpoints, rootfs/etc/nginx/template/nginx.tmpl): headers, path and body as nginx sends them.
/// </summary>
public sealed class ErrorPageRequestTests
{
    private static readonly RouteErrorPages Pages = new("default/nginx-errors:80", [404, 503], true, "shop", "web", "http-svc", "8080");

    [Fact]
    public void An_error_page_request_is_for_slash_with_the_query_without_the_body_and_carries_the_error_headers()
    {
        var context = Context("POST", "/cart/add?item=7", "application/json");
        context.Request.ContentLength = 12;
        context.Request.Headers.Expect = "100-continue";
        var proxyRequest = new ProxyRequest(context);

        ErrorPageRequest.ForErrorPage(context, proxyRequest, Pages, 404, new SeededRandom(1));

        var request = context.Request;
        Assert.Equal("POST", request.Method); // nginx's named location keeps the method
        Assert.Equal("/?item=7", context.Features.Get<IHttpRequestFeature>()!.RawTarget); // rewrite (.*) / break
        Assert.Equal("/", request.Path.Value);
        Assert.Null(request.ContentLength);
        Assert.False(context.Features.Get<IHttpRequestBodyDetectionFeature>()!.CanHaveBody);
        Assert.Equal(string.Empty, request.Headers.Expect.ToString()); // no 100-continue for a body not sent
        Assert.Equal("404", request.Headers["X-Code"].ToString());
        Assert.Equal("application/json", request.Headers["X-Format"].ToString());
        Assert.Equal("/cart/add?item=7", request.Headers["X-Original-URI"].ToString());
        Assert.Equal("shop", request.Headers["X-Namespace"].ToString());
        Assert.Equal("web", request.Headers["X-Ingress-Name"].ToString());
        Assert.Equal("http-svc", request.Headers["X-Service-Name"].ToString());
        Assert.Equal("8080", request.Headers["X-Service-Port"].ToString());
        Assert.Matches("^[0-9a-f]{32}$", request.Headers["X-Request-ID"].ToString()); // nginx's $request_id
    }

    [Fact]
    public void The_original_uri_and_host_are_the_client_s_when_the_route_rewrote_them_and_its_request_id_is_kept()
    {
        var context = Context("GET", "/new", null);
        context.Request.Headers["X-Request-ID"] = "something-unique";
        context.Request.Host = new HostString("internal.example.com");
        var proxyRequest = new ProxyRequest(context) { OriginalTarget = "/something/new", HostBeforeRewrite = "rewrite.bar.com" };

        ErrorPageRequest.ForErrorPage(context, proxyRequest, Pages, 503, new SeededRandom(1));

        Assert.Equal("/something/new", context.Request.Headers["X-Original-URI"].ToString());
        Assert.Equal("/", context.Features.Get<IHttpRequestFeature>()!.RawTarget);
        Assert.Equal("rewrite.bar.com", context.Request.Host.Value); // nginx's $best_http_host
        Assert.Equal("something-unique", context.Request.Headers["X-Request-ID"].ToString());
        Assert.Equal("503", context.Request.Headers["X-Code"].ToString());
        Assert.False(context.Request.Headers.ContainsKey("X-Format")); // no Accept: nginx sends no empty header
    }

    [Fact]
    public void A_request_to_a_service_without_endpoints_goes_as_it_is_with_x_code_503_and_no_original_uri()
    {
        var context = Context("PUT", "/alma/armud?x=1", "text/html");
        context.Request.ContentLength = 5;
        context.Request.Headers["X-Code"] = "200"; // a client's own is replaced, as proxy_set_header does

        ErrorPageRequest.ForFallback(context, Pages, new SeededRandom(1));

        Assert.Equal("/alma/armud?x=1", context.Features.Get<IHttpRequestFeature>()!.RawTarget);
        Assert.Equal((long?)5, context.Request.ContentLength);
        Assert.Equal("503", context.Request.Headers["X-Code"].ToString());
        Assert.Equal("text/html", context.Request.Headers["X-Format"].ToString());
        Assert.Equal("http-svc", context.Request.Headers["X-Service-Name"].ToString());
        Assert.False(context.Request.Headers.ContainsKey("X-Original-URI"));
    }

    private static DefaultHttpContext Context(string method, string target, string? accept)
    {
        var context = new DefaultHttpContext();
        var q = target.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("shop.example.com");
        context.Request.Path = q < 0 ? target : target[..q];
        context.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(target[q..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        return context;
    }
}
