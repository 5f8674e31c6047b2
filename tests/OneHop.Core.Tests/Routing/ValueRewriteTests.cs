using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

/// <summary>
/// nginx's rewrite rules of proxy_redirect, proxy_cookie_domain and proxy_cookie_path (ngx_http_proxy_module): text
/// replaces a matching start (case-sensitive), a domain the whole value without case or leading dot, a ~ expression the
/// whole value with its captures, $host and $scheme; a value that does not match is not rewritten.
/// </summary>
public sealed class ValueRewriteTests
{
    [Theory]
    [InlineData("http://localhost:8000/two/", "http://frontend/one/", "http://localhost:8000/two/some/uri/", "http://frontend/one/some/uri/")]
    [InlineData("http://localhost:8000/two/", "/", "http://localhost:8000/two/x", "/x")]
    [InlineData("http://localhost:8000/two/", "/", "http://LOCALHOST:8000/two/x", null)]
    [InlineData("http://localhost:8000/two/", "/", "http://localhost:8000/three/", null)]
    [InlineData("/two/", "/", "/two/some/uri/", "/some/uri/")]
    [InlineData("~^(http://[^:]+):\\d+(/.+)$", "$1$2", "http://pod:8080/a/b", "http://pod/a/b")]
    [InlineData("~*/user/([^/]+)/(.+)$", "http://$1.example.com/$2", "http://pod/USER/ann/home", "http://ann.example.com/home")]
    [InlineData("~/user/([^/]+)/(.+)$", "http://$1.example.com/$2", "http://pod/USER/ann/home", null)]
    [InlineData("~^http://pod/(.*)$", "https://${host}/$1$9", "http://pod/a", "https://shop.example.org/a")]
    [InlineData("http://pod:8080/", "$scheme://$host/", "http://pod:8080/a", "https://shop.example.org/a")] // the client's scheme
    public void Prefix_and_expression_rewrites_follow_nginx(string from, string to, string value, string? expected)
    {
        var rewrite = ValueRewrite.Create(from, to, ValueRewriteKind.Prefix, out var problem);
        Assert.Null(problem);
        Assert.Equal(expected, rewrite!.Apply(value, "shop.example.org", "https"));
    }

    [Theory]
    [InlineData("localhost", "example.org", "localhost", "example.org")]
    [InlineData("localhost", "example.org", "LocalHost", "example.org")]
    [InlineData(".localhost", ".example.org", ".localhost", ".example.org")]
    [InlineData("localhost", "example.org", ".localhost", ".example.org")]
    [InlineData("localhost", "example.org", "www.localhost", null)]
    [InlineData("~\\.([a-z]+\\.[a-z]+)$", "$1", "www.Pods.Internal", "Pods.Internal")]
    [InlineData("~^pod$", "$host", "POD", "shop.example.org")]
    public void A_domain_matches_whole_and_without_case(string from, string to, string value, string? expected)
    {
        var rewrite = ValueRewrite.Create(from, to, ValueRewriteKind.Domain, out var problem);
        Assert.Null(problem);
        Assert.Equal(expected, rewrite!.Apply(value, "shop.example.org", "https"));
    }

    [Theory]
    [InlineData("~(?<=a)b", "/", "unsupported regular expression")]
    [InlineData("~(", "/", "invalid regular expression")]
    [InlineData("/a/", "$server_name://x/", "$server_name, which OneHop does not evaluate")]
    [InlineData("/a/", "${host/", "unclosed")]
    [InlineData("/a/", "/$", "$, which OneHop does not evaluate")]
    public void What_cannot_run_is_refused_with_why(string from, string to, string why)
    {
        Assert.Null(ValueRewrite.Create(from, to, ValueRewriteKind.Prefix, out var problem));
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }
}
