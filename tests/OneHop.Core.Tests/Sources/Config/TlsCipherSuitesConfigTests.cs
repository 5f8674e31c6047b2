using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>tls.cipherSuites</c>: OpenSSL's list with session resumption by default, the modern list or a list of suites on request.</summary>
public sealed class TlsCipherSuitesConfigTests
{
    [Theory]
    [InlineData("tls: {redirectPort: 443}", "Default")]
    [InlineData("tls: {cipherSuites: default}", "Default")]
    [InlineData("tls: {cipherSuites: modern}", "Modern")]
    public void The_cipher_suites_are_read_and_default_to_openssls_list(string text, string expected)
    {
        var result = ConfigLoader.Parse("onehop.yaml", text);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(Enum.Parse<TlsCipherSuites>(expected), result.Config!.Tls.CipherSuites);
    }

    [Fact]
    public void An_unknown_list_rejects_the_file_naming_field_line_and_reason()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "tls:\n  cipherSuites: intermediate");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ConfigError, error.Code);
        Assert.Equal("tls.cipherSuites", error.Field);
        Assert.Contains("'intermediate' is not default", error.Message, StringComparison.Ordinal);
        Assert.Contains("'intermediate' is not a cipher suite OneHop knows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_of_suites_is_read_by_name()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "tls:\n  cipherSuites: ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(TlsCipherSuites.Listed, result.Config!.Tls.CipherSuites);
        Assert.Equal(TlsCipherSuiteList.Parse("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", out _), result.Config.Tls.CipherList);
    }
}
