using OneHop.Core.Routing;
using OneHop.Core.Sources.Config;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing;

/// <summary><c>forwardedHeaders.generateRequestId</c>: every route makes an X-Request-ID for requests without one; off by default.</summary>
public sealed class RouteRequestIdTests
{
    private static readonly string Yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1")
        + Manifests.Ingress("plain", "a.example.com", "/", "web")
        + Manifests.WebHttpRoute([string.Empty]).Replace("web", "gw", StringComparison.Ordinal);

    private const string ConfigRoute = """
        upstreams: [{name: iis, endpoints: [{address: 10.0.10.1:80}]}]
        routes: [{hosts: [d.example.com], upstream: iis}]
        defaultUpstream: iis
        """;

    [Theory]
    [InlineData("", false)]
    [InlineData("forwardedHeaders: {generateRequestId: false}", false)]
    [InlineData("forwardedHeaders: {generateRequestId: true}", true)]
    public void The_config_s_switch_applies_to_every_route(string section, bool generates)
    {
        var config = ConfigLoader.Parse("onehop.yaml", ConfigRoute + "\n" + section + "\n");
        Assert.Empty(config.Diagnostics);
        var snapshot = Translator.Translate(TranslatorInput.Of(Manifests.State(Yaml), config.Config!)).Snapshot;
        Assert.Equal(3, snapshot.Routes.Length);
        Assert.All(snapshot.Routes, r => Assert.Equal(generates, r.GeneratesRequestId));
        Assert.Equal(generates, snapshot.DefaultRoute!.GeneratesRequestId);
    }

    [Fact]
    public void A_value_that_is_not_a_boolean_is_an_error_naming_the_field()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "forwardedHeaders: {generateRequestId: sometimes}\n");
        Assert.Null(result.Config);
        Assert.Equal("forwardedHeaders.generateRequestId", Assert.Single(result.Diagnostics).Field);
    }
}
