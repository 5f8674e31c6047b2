using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>tls.cipherSuites</c>: OpenSSL's list with session resumption by default, the modern list on request.</summary>
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
    }
}
