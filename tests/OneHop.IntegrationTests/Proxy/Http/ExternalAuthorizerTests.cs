using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Concurrency;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>
/// <see cref="ExternalAuthorizer"/> against a real authentication service on loopback: what the subrequest carries
/// (ingress-nginx's auth location headers, the client's headers, no body), and what each answer of the service becomes.
/// </summary>
public sealed class ExternalAuthorizerTests() : AuthServiceTestBase(TimeProvider.System)
{
    [Fact]
    public async Task A_2xx_lets_the_request_through_with_the_listed_answer_headers_and_the_service_gets_what_ingress_nginx_sends()
    {
        var context = Request("/orders/1?x=a%20b");
        context.Request.Headers["X-Auth-Request-User"] = "mallory"; // a client's own copy never reaches the pod
        context.Request.Headers["X-Auth-Request-Email"] = "mallory@example.com";
        var auth = Auth("/ok") with { ResponseHeaders = ["X-Auth-Request-User", "X-Auth-Request-Email", "X-Auth-Request-Groups"] };

        Assert.True(await Authorizer.AuthorizeAsync(context, new ExternalAuthCheck(auth, null, "route"), SharedRandomSource.Instance));

        var headers = context.Request.Headers;
        Assert.Equal("alice", headers["X-Auth-Request-User"].ToString());
        Assert.Equal("alice@example.com", headers["X-Auth-Request-Email"].ToString());
        Assert.False(headers.ContainsKey("X-Auth-Request-Groups"));
        Assert.False(headers.ContainsKey("X-Not-Listed"));

        var call = Assert.Single(Service.Calls);
        Assert.Equal("GET", call.Method);
        Assert.Equal("/ok", call.Target);
        Assert.Equal($"{Service.Address}:{Service.Port}", call.Header("Host"));
        Assert.Equal("https://app.example.com:8443/orders/1?x=a%20b", call.Header("X-Original-URL"));
        Assert.Equal("POST", call.Header("X-Original-Method"));
        Assert.Equal("nginx-ingress-controller", call.Header("X-Sent-From"));
        Assert.Equal("10.1.2.3", call.Header("X-Real-IP"));
        Assert.Equal("10.1.2.3", call.Header("X-Forwarded-For"));
        Assert.Equal("/orders/1?x=a%20b", call.Header("X-Auth-Request-Redirect"));
        Assert.Equal("_oauth2_proxy=session", call.Header("Cookie"));
        Assert.Equal("Bearer token", call.Header("Authorization"));
        Assert.Equal("mallory", call.Header("X-Auth-Request-User")); // the service sees what the client sent
        Assert.Null(call.Header("X-Original-URI")); // only with auth-method, as in ingress-nginx's template
        Assert.Null(call.Header("Content-Length"));
        Assert.Equal(0, call.BodyLength);
    }

    [Fact]
    public async Task Auth_method_and_auth_request_redirect_are_sent_as_set()
    {
        var context = Request("/cart");
        var auth = Auth("/ok") with { Method = "POST", RequestRedirect = "https://$host/after$uri" };

        Assert.True(await Authorizer.AuthorizeAsync(context, new ExternalAuthCheck(auth, null, "route"), SharedRandomSource.Instance));

        var call = Assert.Single(Service.Calls);
        Assert.Equal("POST", call.Method);
        Assert.Equal("/cart", call.Header("X-Original-URI"));
        Assert.Equal("https", call.Header("X-Scheme"));
        Assert.Equal("https://app.example.com/after/cart", call.Header("X-Auth-Request-Redirect"));
        Assert.Equal(0, call.BodyLength);
    }

    [Fact]
    public async Task Auth_proxy_set_headers_are_set_last_with_their_variables_and_an_empty_value_sends_none()
    {
        var context = Request("/cart");
        context.Request.Headers["X-Tenant"] = "client-chosen";
        var auth = Auth("/ok") with
        {
            RequestHeaders = [new("Authorization", ""), new("X-Auth-Source", "onehop"), new("X-Original-Host", "$host"), new("X-Sent-From", "edge"), new("X-Tenant", "$scheme://$host$uri")],
        };

        Assert.True(await Authorizer.AuthorizeAsync(context, new ExternalAuthCheck(auth, null, "route"), SharedRandomSource.Instance));

        var call = Assert.Single(Service.Calls);
        Assert.Equal("onehop", call.Header("X-Auth-Source"));
        Assert.Equal("app.example.com", call.Header("X-Original-Host"));
        Assert.Equal("edge", call.Header("X-Sent-From")); // after OneHop's own, so it replaces them
        Assert.Equal("https://app.example.com/cart", call.Header("X-Tenant")); // and the client's
        Assert.Null(call.Header("Authorization")); // an empty value: not sent, as nginx's proxy_set_header
        Assert.Equal("_oauth2_proxy=session", call.Header("Cookie"));
    }

    [Theory]
    [InlineData("/unauthorized", 401, "unauthorized")]
    [InlineData("/forbidden", 403, "auth-forbidden")]
    [InlineData("/missing", 500, "auth-failed")]
    [InlineData("/redirect", 500, "auth-failed")]
    public async Task Only_401_and_403_reach_the_client_and_any_other_answer_is_500(string path, int status, string code)
    {
        var context = Request("/");
        Assert.False(await Authorizer.AuthorizeAsync(context, new ExternalAuthCheck(Auth(path), null, "route"), SharedRandomSource.Instance));
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(code, context.Response.Headers[ErrorCodes.Header].ToString());
        Assert.Equal(status == 401 ? "Bearer realm=\"test\"" : string.Empty, context.Response.Headers.WWWAuthenticate.ToString());
    }

    [Theory]
    [InlineData("https://auth.example.com/oauth2/start", "https://auth.example.com/oauth2/start?rd=https://app.example.com:8443%2Fpage%3Fq%3D1")]
    [InlineData("https://auth.example.com/oauth2/start?x=1", "https://auth.example.com/oauth2/start?x=1&rd=https://app.example.com:8443%2Fpage%3Fq%3D1")]
    [InlineData("https://$host/oauth2/start?rd=$escaped_request_uri", "https://app.example.com/oauth2/start?rd=%2Fpage%3Fq%3D1")]
    [InlineData("https://auth.example.com/start?rd=https://$http_host$request_uri", "https://auth.example.com/start?rd=https://app.example.com:8443/page?q=1")]
    [InlineData("https://auth.example.com/start?rd=x", "https://auth.example.com/start?rd=x&redirect_uri=https://app.example.com:8443%2Fpage%3Fq%3D1", "redirect_uri")]
    public async Task A_401_with_auth_signin_is_a_302_carrying_the_original_url(string signin, string location, string param = "rd")
    {
        var context = Request("/page?q=1");
        var auth = Auth("/unauthorized") with { Signin = signin, SigninRedirectParam = param };
        Assert.False(await Authorizer.AuthorizeAsync(context, new ExternalAuthCheck(auth, null, "route"), SharedRandomSource.Instance));
        Assert.Equal(302, context.Response.StatusCode);
        Assert.Equal(location, context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task An_unreachable_service_is_500()
    {
        var context = Request("/");
        var auth = Auth("/ok") with { Url = $"http://{LoopbackAddresses.Next()}:9/ok" }; // nothing listens there
        Assert.False(await Authorizer.AuthorizeAsync(context, new ExternalAuthCheck(auth, null, "route"), SharedRandomSource.Instance));
        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("auth-failed", context.Response.Headers[ErrorCodes.Header].ToString());
    }

    [Fact]
    public async Task A_service_that_does_not_answer_in_time_is_500()
    {
        var context = Request("/");
        var auth = Auth("/slow") with { Timeout = TimeSpan.FromMilliseconds(300) };
        var started = TimeProvider.System.GetTimestamp();
        Assert.False(await Authorizer.AuthorizeAsync(context, new ExternalAuthCheck(auth, null, "route"), SharedRandomSource.Instance));
        Assert.Equal(500, context.Response.StatusCode);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
    }

    private RouteExternalAuth Auth(string path) =>
        new($"http://{Service.Address}:{Service.Port}{path}", null, null, "rd", [], null);

    /// <summary>A POST with a body from 10.1.2.3 to https://app.example.com:8443, with a cookie and a bearer token.</summary>
    internal static DefaultHttpContext Request(string target)
    {
        var context = new DefaultHttpContext();
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var request = context.Request;
        request.Method = "POST";
        request.Scheme = "https";
        request.Host = new HostString("app.example.com:8443");
        request.Path = PathString.FromUriComponent(q < 0 ? target : target[..q]);
        request.QueryString = q < 0 ? QueryString.Empty : new QueryString(target[q..]);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        request.Headers.Cookie = "_oauth2_proxy=session";
        request.Headers.Authorization = "Bearer token";
        request.Headers.ContentType = "application/json";
        request.ContentLength = 5;
        request.Body = new MemoryStream("{\"a\"}"u8.ToArray());
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        context.Response.Body = new MemoryStream();
        return context;
    }
}
