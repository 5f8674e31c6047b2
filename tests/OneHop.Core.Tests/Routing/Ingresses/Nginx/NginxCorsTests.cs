using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// enable-cors and cors-* (Corpus/cors.yaml): which origins are allowed, the 204 preflight OneHop answers with the
/// route's headers, and the headers of an ordinary response; bad values are errors.
/// </summary>
public sealed class NginxCorsTests
{
    private static readonly Lazy<RouteCors> Cors = new(() =>
    {
        var result = Translator.Translate(TranslatorInput.Of(
            GoldenCase.Load(Path.Combine(SourceTree.ProjectDirectory, "Routing", "Ingresses", "Nginx", "Corpus")).State,
            OneHopConfig.Default with { Ingress = new IngressSettings { AdoptIngressNginx = true } }));
        return Assert.Single(result.Snapshot.Routes, r => r.Host == "cors.example.com").Filters!.Cors!;
    });

    [Theory]
    [InlineData("https://origin-site.com:4443", true)]
    [InlineData("http://origin-site.com", true)]
    [InlineData("https://origin-site.com", false)]
    [InlineData("https://api.example.org", true)]
    [InlineData("https://a.b.example.org", true)]
    [InlineData("https://example.org", false)]
    [InlineData("http://api.example.org", false)]
    [InlineData("https://evil-example.org", false)]
    public void Listed_origins_and_wildcard_subdomains_are_allowed(string origin, bool allowed) =>
        Assert.Equal(allowed ? origin : null, Cors.Value.AllowOrigin(origin));

    [Fact]
    public void A_preflight_of_an_allowed_origin_is_answered_204_with_the_route_headers()
    {
        var context = Request("OPTIONS", "https://api.example.org");
        Assert.True(RouteFilterActions.TryAnswerPreflight(context, Cors.Value, out _));
        var headers = context.Response.Headers;
        Assert.Equal(204, context.Response.StatusCode);
        Assert.Equal("https://api.example.org", headers.AccessControlAllowOrigin.ToString());
        Assert.Equal("PUT, GET, POST, OPTIONS", headers.AccessControlAllowMethods.ToString());
        Assert.Equal("X-Forwarded-For, X-app123-XPTO", headers.AccessControlAllowHeaders.ToString());
        Assert.Equal("600", headers.AccessControlMaxAge.ToString());
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("OPTIONS", "https://other.com")]
    [InlineData("OPTIONS", null)]
    [InlineData("GET", "https://api.example.org")]
    public void Other_requests_are_not_preflights(string method, string? origin) =>
        Assert.False(RouteFilterActions.TryAnswerPreflight(Request(method, origin), Cors.Value, out _));

    [Fact]
    public void Any_origin_with_credentials_echoes_the_origin_and_without_says_star()
    {
        RouteCors cors = new(["*"], "GET", "X", null, true, 5);
        Assert.Equal("https://a.com", cors.AllowOrigin("https://a.com"));
        Assert.Equal("*", (cors with { Credentials = false }).AllowOrigin("https://a.com"));
    }

    [Theory]
    [InlineData("enable-cors", "true", "yes")]
    [InlineData("cors-allow-origin", "https://a.com, https://*.b.com", "https://a.com/path")]
    [InlineData("cors-allow-methods", "GET, POST", "GET; POST")]
    [InlineData("cors-allow-headers", "X-A,X-B", "X A")]
    [InlineData("cors-expose-headers", "*, X-A", "X:A")]
    [InlineData("cors-allow-credentials", "false", "no")]
    [InlineData("cors-max-age", "600", "ten")]
    public void A_good_value_is_taken_and_a_bad_one_is_an_error(string name, string good, string bad)
    {
        var (settings, findings) = NginxAnnotationReader.Read(new Dictionary<string, string> { [NginxAnnotations.Prefix + "enable-cors"] = "true", [NginxAnnotations.Prefix + name] = good });
        Assert.All(findings, f => Assert.Null(f.Problem));
        Assert.NotNull(settings.Cors);
        (_, findings) = NginxAnnotationReader.Read(new Dictionary<string, string> { [NginxAnnotations.Prefix + name] = bad });
        Assert.Contains(findings, f => f.Problem is not null);
    }

    private static DefaultHttpContext Request(string method, string? origin)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context;
    }
}
