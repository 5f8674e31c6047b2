using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary>
/// <c>tls.ocspStapling</c> and <c>tls.rejectUnknownNames</c>: off by default, on when true; a value that is not a
/// boolean refuses the file, naming the field.
/// </summary>
public sealed class TlsSwitchesConfigTests
{
    [Theory]
    [InlineData("tls: {redirectPort: 443}", false, false)]
    [InlineData("tls: {ocspStapling: false, rejectUnknownNames: false}", false, false)]
    [InlineData("tls: {ocspStapling: true}", true, false)]
    [InlineData("tls: {rejectUnknownNames: true}", false, true)]
    public void The_switches_are_read_and_off_by_default(string text, bool stapling, bool rejecting)
    {
        var result = ConfigLoader.Parse("onehop.yaml", text);

        Assert.Empty(result.Diagnostics);
        Assert.Equal((stapling, rejecting), (result.Config!.Tls.OcspStapling, result.Config.Tls.RejectUnknownNames));
    }

    [Theory]
    [InlineData("ocspStapling")]
    [InlineData("rejectUnknownNames")]
    public void A_value_that_is_not_a_boolean_rejects_the_file_naming_the_field(string field)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"tls:\n  {field}: sometimes");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.ConfigError, error.Code);
        Assert.Equal($"tls.{field}", error.Field);
        Assert.Contains("'sometimes' is not true or false", error.Message, StringComparison.Ordinal);
    }
}
