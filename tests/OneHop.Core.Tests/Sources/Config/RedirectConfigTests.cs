using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>tls.redirectPort</c> and a listener's <c>proxyProtocol.schemeFrom</c>.</summary>
public sealed class RedirectConfigTests
{
    [Fact]
    public void The_redirect_port_and_the_trusted_scheme_header_are_read()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            listeners:
              - address: 0.0.0.0:8080
                proxyProtocol: {trustedCidrs: [10.0.0.0/8], schemeFrom: x-forwarded-proto}
              - address: 0.0.0.0:8081
                proxyProtocol: {trustedCidrs: [10.0.0.0/8], schemeFrom: forwarded}
              - address: 0.0.0.0:8082
                proxyProtocol: {trustedCidrs: [10.0.0.0/8]}
            tls:
              redirectPort: 8443
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(8443, result.Config!.Tls.RedirectPort);
        Assert.Equal(
            [ClientSchemeSource.XForwardedProto, ClientSchemeSource.Forwarded, ClientSchemeSource.Connection],
            result.Config.Listeners.Select(l => l.ProxyProtocol!.SchemeFrom));
    }

    [Fact]
    public void Without_them_redirects_name_no_port_and_no_header_is_believed()
    {
        var config = ConfigLoader.Parse("onehop.yaml", "listeners: [{address: 0.0.0.0:80, proxyProtocol: {trustedCidrs: [10.0.0.0/8]}}]").Config!;

        Assert.Null(config.Tls.RedirectPort);
        Assert.Equal(ClientSchemeSource.Connection, config.Listeners[0].ProxyProtocol!.SchemeFrom);
    }

    [Theory]
    [InlineData("tls: {redirectPort: 0}", "tls.redirectPort", "0 is not a port")]
    [InlineData("tls: {redirectPort: 65536}", "tls.redirectPort", "65536 is not a port")]
    [InlineData("tls: {redirectPort: -443}", "tls.redirectPort", "-443 is not a port")]
    [InlineData("listeners: [{address: 0.0.0.0:80, proxyProtocol: {trustedCidrs: [10.0.0.0/8], schemeFrom: X-Forwarded-Host}}]", "listeners[0].proxyProtocol.schemeFrom", "'X-Forwarded-Host' is not connection, x-forwarded-proto or forwarded")]
    [InlineData("listeners: [{address: 0.0.0.0:5432, protocol: tcp, upstream: db, proxyProtocol: {trustedCidrs: [10.0.0.0/8], schemeFrom: forwarded}}]\nupstreams: [{name: db, endpoints: [{address: 10.0.0.9:5432}]}]", "listeners[0].proxyProtocol.schemeFrom", "a tcp listener reads no HTTP headers")]
    public void A_bad_value_rejects_the_file_naming_field_line_and_reason(string text, string field, string reason)
    {
        var result = ConfigLoader.Parse("onehop.yaml", text);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ConfigError, error.Code);
        Assert.Equal(field, error.Field);
        Assert.Equal(1, error.Origin!.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
