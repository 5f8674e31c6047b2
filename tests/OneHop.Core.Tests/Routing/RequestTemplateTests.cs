using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Routing;

/// <summary>nginx variables in annotation values: read once, refused when OneHop cannot fill them in, filled in per request.</summary>
public sealed class RequestTemplateTests
{
    [Theory]
    [InlineData("https://auth.example.com/oauth2/auth", "https://auth.example.com/oauth2/auth")]
    [InlineData("https://$host/oauth2/start?rd=$escaped_request_uri", "https://app.example.com/oauth2/start?rd=%2Fa%3Fb")]
    [InlineData("$scheme://$http_host$request_uri", "https://App.example.com:8443/a?b")]
    [InlineData("$pass_access_scheme://$best_http_host$uri", "https://App.example.com:8443/a")]
    [InlineData("${host}x", "app.example.comx")]
    [InlineData("$remote_user$http_authorization", "alice[authorization]")]
    [InlineData("${cookie__oauth2_proxy}|$arg_token|$remote_addr|$http_x_api_key", "{_oauth2_proxy}|(token)|10.1.2.3|[x-api-key]")]
    public void Known_variables_are_filled_in(string text, string expected)
    {
        var template = RequestTemplate.Parse(text, out var problem);
        Assert.Null(problem);
        Assert.Equal(expected, template!.Expand(static (variable, name, _) => variable switch
        {
            RequestVariable.Header => $"[{name}]",
            RequestVariable.Cookie => $"{{{name}}}",
            RequestVariable.QueryArgument => $"({name})",
            RequestVariable.RemoteUser => "alice",
            RequestVariable.RemoteAddress => "10.1.2.3",
            RequestVariable.Scheme => "https",
            RequestVariable.Host => "app.example.com",
            RequestVariable.HttpHost => "App.example.com:8443",
            RequestVariable.RequestUri => "/a?b",
            RequestVariable.EscapedRequestUri => "%2Fa%3Fb",
            _ => "/a",
        }, 0));
        Assert.Equal(!text.Contains('$', StringComparison.Ordinal), template.IsLiteral);
    }

    [Fact]
    public void An_unknown_variable_is_a_problem_naming_it()
    {
        Assert.Null(RequestTemplate.Parse("https://auth/$request_body", out var problem));
        Assert.StartsWith("$request_body is not an nginx variable OneHop fills in", problem, StringComparison.Ordinal);
        Assert.Contains("$http_NAME", problem, StringComparison.Ordinal);
        Assert.Null(RequestTemplate.Parse("$http_", out problem)); // a prefix without its name
    }
}
