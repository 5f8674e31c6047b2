using System.Net;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>What the nginx variables of auth-url, auth-cache-key and mirror-target read from a request.</summary>
public sealed class RequestVariablesTests
{
    [Theory]
    [InlineData("$http_x_api_key", "k1, k2")] // every value, as nginx joins a repeated header
    [InlineData("$http_X_API_KEY", "k1, k2")]
    [InlineData("$http_authorization", "Basic YWxpY2U6c2VjcmV0")]
    [InlineData("$http_x_missing", "")]
    [InlineData("$cookie_session", "s1")]
    [InlineData("$cookie_SESSION", "s1")] // nginx compares cookie names ignoring case
    [InlineData("$cookie_next", "%26admin%3Dtrue")] // as sent, never decoded
    [InlineData("$cookie_sess", "")]
    [InlineData("$cookie_other", "")]
    [InlineData("$arg_token", "a%20b")] // as sent, the first of two, as nginx's
    [InlineData("$arg_TOKEN", "a%20b")] // nginx compares argument names ignoring case
    [InlineData("$arg_next", "%26admin%3Dtrue")] // never decoded into a '&' that would add a parameter to a URL
    [InlineData("$arg_flag", "")] // no '=': not an argument with a value
    [InlineData("$arg_tok", "")]
    [InlineData("$arg_none", "")]
    [InlineData("$remote_user", "alice")]
    [InlineData("$remote_addr", "10.1.2.3")]
    [InlineData("$remote_user:$http_host", "alice:app.example.com:8443")]
    public void A_variable_reads_its_part_of_the_request(string text, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString("app.example.com:8443");
        context.Request.QueryString = new QueryString("?flag&token=a%20b&token=second&next=%26admin%3Dtrue");
        context.Request.Headers.Append("X-Api-Key", new[] { "k1", "k2" });
        context.Request.Headers.Authorization = "Basic YWxpY2U6c2VjcmV0"; // alice:secret
        context.Request.Headers.Cookie = "session=s1; theme=dark;next=%26admin%3Dtrue";
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");

        var template = RequestTemplate.Parse(text, out var problem) ?? throw new InvalidOperationException(problem);

        Assert.Equal(expected, template.Expand(RequestVariables.Value, (HttpContext)context));
    }

    [Theory]
    [InlineData("Bearer token")]
    [InlineData("Basic !!!")]
    [InlineData("Basic bm9jb2xvbg==")] // "nocolon"
    [InlineData(null)]
    public void Remote_user_is_empty_without_basic_credentials(string? authorization)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = authorization;

        Assert.Equal(string.Empty, RequestVariables.Value(RequestVariable.RemoteUser, null, context));
    }
}
