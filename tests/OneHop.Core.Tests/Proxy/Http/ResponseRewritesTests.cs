using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>
/// A route's response rewrite on the answer's head: Location (a rewritten one that starts with '/' made absolute with the
/// client's scheme and host, as ingress-nginx's absolute_redirect does), Refresh's url=, and each Set-Cookie's Domain and
/// Path attributes, whatever their case or spacing; the rest of every header stays as the pod wrote it.
/// </summary>
public sealed class ResponseRewritesTests
{
    private static readonly RouteResponseRewrite Rewrite = new(
        ValueRewrite.Create("http://pod:8080/app/", "/", ValueRewriteKind.Prefix, out _),
        ValueRewrite.Create("pod.internal", "example.org", ValueRewriteKind.Domain, out _),
        ValueRewrite.Create("/app/", "/", ValueRewriteKind.Prefix, out _));

    [Fact]
    public void Location_and_refresh_are_rewritten_and_a_relative_result_made_absolute()
    {
        IHeaderDictionary headers = new HeaderDictionary { ["Location"] = "http://pod:8080/app/next?x=1", ["Refresh"] = "0; URL=http://pod:8080/app/r" };
        ResponseRewrites.Apply(headers, Rewrite, "shop.example.org", "https");
        Assert.Equal("https://shop.example.org/next?x=1", headers.Location.ToString());
        Assert.Equal("0; URL=/r", headers["Refresh"].ToString());
    }

    [Theory]
    [InlineData("https")]
    [InlineData("http")]
    public void Scheme_in_the_replacement_is_the_client_s(string scheme)
    {
        var rewrite = new RouteResponseRewrite(ValueRewrite.Create("~^http://pod:8080/(.*)$", "$scheme://$host/$1", ValueRewriteKind.Prefix, out _), null, null);
        IHeaderDictionary headers = new HeaderDictionary { ["Location"] = "http://pod:8080/next" };
        ResponseRewrites.Apply(headers, rewrite, "shop.example.org", scheme);
        Assert.Equal($"{scheme}://shop.example.org/next", headers.Location.ToString());
    }

    [Fact]
    public void Each_set_cookie_s_domain_and_path_are_rewritten_and_the_rest_kept()
    {
        IHeaderDictionary headers = new HeaderDictionary
        {
            ["Set-Cookie"] = new StringValues(["a=1; Domain=.POD.internal; Path=/app/x; Secure", "b=2;path=/app/;domain=other.test", "c=3", "d=4; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]),
        };
        ResponseRewrites.Apply(headers, Rewrite, "shop.example.org", "http");
        Assert.Equal(["a=1; Domain=.example.org; Path=/x; Secure", "b=2;path=/;domain=other.test", "c=3", "d=4; Expires=Wed, 21 Oct 2026 07:28:00 GMT"], headers.SetCookie.ToArray());
    }

    [Fact]
    public void Headers_that_do_not_match_are_left_untouched()
    {
        var cookies = new StringValues(["a=1; Domain=other.test; Path=/else"]);
        IHeaderDictionary headers = new HeaderDictionary { ["Location"] = "/relative", ["Set-Cookie"] = cookies };
        ResponseRewrites.Apply(headers, Rewrite, "shop.example.org", "http");
        Assert.Equal("/relative", headers.Location.ToString());
        Assert.Equal(cookies, headers.SetCookie);
    }
}
