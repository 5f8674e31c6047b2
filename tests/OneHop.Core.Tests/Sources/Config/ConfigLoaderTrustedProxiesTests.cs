using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>forwardedHeaders.trustedProxies</c>: the proxies in front whose header names the client.</summary>
public sealed class ConfigLoaderTrustedProxiesTests
{
    [Fact]
    public void Trusted_proxies_are_read_with_nginx_s_defaults()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            forwardedHeaders:
              trustedProxies:
                cidrs: [10.0.0.0/8, "2001:db8::/32"]
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            new TrustedProxiesConfig([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("2001:db8::/32")], "X-Forwarded-For", Recursive: true, TrustsXForwarded: false, AppendsForwardedFor: false),
            result.Config!.ForwardedHeaders.TrustedProxies);
        Assert.Equal(ForwardedAction.Set, result.Config.ForwardedHeaders.XForwarded);
    }

    [Fact]
    public void Every_field_is_read()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            forwardedHeaders:
              trustedProxies:
                cidrs: [173.245.48.0/20]
                header: CF-Connecting-IP
                recursive: false
                trustXForwarded: true
                appendForwardedFor: true
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(new TrustedProxiesConfig([IPNetwork.Parse("173.245.48.0/20")], "CF-Connecting-IP", false, true, true), result.Config!.ForwardedHeaders.TrustedProxies);
    }

    [Fact]
    public void Without_the_section_no_proxy_is_trusted()
    {
        Assert.Null(ConfigLoader.Parse("onehop.yaml", "forwardedHeaders: {xForwarded: set}").Config!.ForwardedHeaders.TrustedProxies);
    }

    [Theory]
    [InlineData("{}", "forwardedHeaders.trustedProxies.cidrs")]
    [InlineData("{cidrs: []}", "forwardedHeaders.trustedProxies.cidrs")]
    [InlineData("{cidrs: [10.0.0.0/33]}", "forwardedHeaders.trustedProxies.cidrs[0]")]
    [InlineData("{cidrs: [10.0.0.0/8, everyone]}", "forwardedHeaders.trustedProxies.cidrs[1]")]
    [InlineData("{cidrs: [10.0.0.0/8], header: \"X Forwarded For\"}", "forwardedHeaders.trustedProxies.header")]
    [InlineData("{cidrs: [10.0.0.0/8], header: \"X-Forwarded-For:\"}", "forwardedHeaders.trustedProxies.header")]
    public void A_bad_value_is_an_error_naming_the_field(string section, string field)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"forwardedHeaders:\n  trustedProxies: {section}\n");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, field), (error.Severity, error.Field));
    }
}
