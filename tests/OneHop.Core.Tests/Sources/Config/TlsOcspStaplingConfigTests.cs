using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>tls.ocspStapling</c>: off by default, on when true; a value that is not a boolean refuses the file, naming the field.</summary>
public sealed class TlsOcspStaplingConfigTests
{
    [Theory]
    [InlineData("tls: {redirectPort: 443}", false)]
    [InlineData("tls: {ocspStapling: false}", false)]
    [InlineData("tls: {ocspStapling: true}", true)]
    public void Ocsp_stapling_is_read_and_off_by_default(string text, bool expected)
    {
        var result = ConfigLoader.Parse("onehop.yaml", text);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(expected, result.Config!.Tls.OcspStapling);
    }

    [Fact]
    public void A_value_that_is_not_a_boolean_rejects_the_file_naming_the_field()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "tls:\n  ocspStapling: sometimes");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ConfigError, error.Code);
        Assert.Equal("tls.ocspStapling", error.Field);
        Assert.Contains("'sometimes' is not true or false", error.Message, StringComparison.Ordinal);
    }
}
