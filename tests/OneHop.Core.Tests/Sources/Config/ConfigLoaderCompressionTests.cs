using OneHop.Core.Configuration.Compression;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>compression</c>: the codings, levels and types every route's answers are compressed with.</summary>
public sealed class ConfigLoaderCompressionTests
{
    [Fact]
    public void Without_the_section_nothing_is_compressed_and_an_empty_one_means_onehop_s_defaults()
    {
        Assert.Null(ConfigLoader.Parse("onehop.yaml", "limits: {}").Config!.Compression);
        var result = ConfigLoader.Parse("onehop.yaml", "compression: {}");
        Assert.Empty(result.Diagnostics);
        Assert.Equal(CompressionPolicy.Default, result.Config!.Compression);
    }

    [Fact]
    public void Every_field_is_read()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            compression:
              codings: [gzip, br]
              gzipLevel: 6
              brotliLevel: 5
              minLength: 1KiB
              types: [text/*, application/json]
              disableForUserAgents: ["^curl/"]
            """);

        Assert.Empty(result.Diagnostics);
        var codings = result.Config!.Compression!.Codings;
        Assert.Equal([("gzip", 6, 1024L), ("br", 5, 1024L)], codings.Select(c => (c.Name, c.Level, c.MinLength)));
        Assert.All(codings, c => Assert.Equal(["text/*", "application/json"], c.Types.Entries));
        Assert.True(codings[0].DisabledFor!.Matches("curl/8.5.0"));
        Assert.False(codings[0].DisabledFor!.Matches("Mozilla/5.0 curl/8"));
    }

    [Theory]
    [InlineData("{codings: []}", "compression.codings")]
    [InlineData("{codings: [deflate]}", "compression.codings[0]")]
    [InlineData("{codings: [gzip, gzip]}", "compression.codings[1]")]
    [InlineData("{gzipLevel: 0}", "compression.gzipLevel")]
    [InlineData("{gzipLevel: 10}", "compression.gzipLevel")]
    [InlineData("{brotliLevel: 12}", "compression.brotliLevel")]
    [InlineData("{minLength: 1 kilobyte}", "compression.minLength")]
    [InlineData("{types: []}", "compression.types")]
    [InlineData("{types: [text/html, html]}", "compression.types[1]")]
    [InlineData("{types: [\"*/json\"]}", "compression.types[0]")]
    [InlineData("{types: [\"text/html; charset=utf-8\"]}", "compression.types[0]")]
    [InlineData("{disableForUserAgents: [\"(?<=x)y\"]}", "compression.disableForUserAgents")]
    [InlineData("{disableForUserAgents: [\"(\"]}", "compression.disableForUserAgents")]
    public void A_bad_value_is_an_error_naming_the_field_and_the_config_is_refused(string section, string field)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"compression: {section}\n");
        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, field, 1), (error.Severity, error.Field, error.Origin?.Line));
    }
}
