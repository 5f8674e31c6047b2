using OneHop.Core.Configuration.Compression;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources.Config;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing;

/// <summary>
/// Which routes compress: the config file's <c>compression</c> for every route (Ingress, Gateway API, the config's own),
/// an Ingress's <c>onehop.dev/compression</c> or a config route's <c>compression</c> over it; nothing without either.
/// </summary>
public sealed class RouteCompressionTests
{
    private static readonly string Yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1")
        + Manifests.Ingress("plain", "a.example.com", "/", "web")
        + Manifests.Ingress("off", "b.example.com", "/", "web").Replace("name: off", "name: off\n  annotations: {onehop.dev/compression: \"false\"}", StringComparison.Ordinal)
        + Manifests.Ingress("on", "c.example.com", "/", "web").Replace("name: on", "name: on\n  annotations: {onehop.dev/compression: \"true\"}", StringComparison.Ordinal)
        + Manifests.WebHttpRoute([string.Empty]).Replace("web", "gw", StringComparison.Ordinal);

    private const string ConfigRoute = """
        upstreams: [{name: iis, endpoints: [{address: 10.0.10.1:80}]}]
        routes: [{hosts: [d.example.com], upstream: iis}]
        """;

    [Fact]
    public void Without_the_config_s_section_only_an_ingress_that_asks_compresses_with_onehop_s_defaults()
    {
        var result = Translate(ConfigRoute);
        Assert.Equal(
            [("a.example.com", null), ("b.example.com", null), ("c.example.com", CompressionPolicy.Default), ("d.example.com", null)],
            result.Snapshot.Routes.Where(r => r.Host.Length > 0).Select(r => (r.Host, r.Compression)).OrderBy(r => r.Host));
        Assert.All(result.Snapshot.Routes.Where(r => r.Host.Length == 0), r => Assert.Null(r.Compression));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
    }

    [Fact]
    public void The_config_s_section_compresses_every_route_but_one_whose_ingress_says_false()
    {
        var result = Translate(ConfigRoute + "\ncompression: {codings: [gzip], gzipLevel: 3}\n");
        var configured = result.Snapshot.Routes.Single(r => r.Host == "d.example.com").Compression;
        Assert.Equal([("gzip", 3)], configured!.Codings.Select(c => (c.Name, c.Level)));
        Assert.All(result.Snapshot.Routes.Where(r => r.Host != "b.example.com"), r => Assert.Same(configured, r.Compression));
        Assert.Null(result.Snapshot.Routes.Single(r => r.Host == "b.example.com").Compression);
        Assert.Equal(["gzip:3"], result.Snapshot.Routes.Single(r => r.Host == "a.example.com").CompressionShown ?? []);
    }

    /// <summary>A config-file route's own compression: false for none under the section, true for the section (or OneHop's defaults without one).</summary>
    [Theory]
    [InlineData("", true, "br:4,gzip:1")]
    [InlineData("", false, "")]
    [InlineData("\ncompression: {codings: [gzip], gzipLevel: 3}\n", false, "")]
    [InlineData("\ncompression: {codings: [gzip], gzipLevel: 3}\n", true, "gzip:3")]
    public void A_config_route_says_for_itself(string section, bool compression, string expected)
    {
        var result = Translate(ConfigRoute.Replace("upstream: iis}", $"upstream: iis, compression: {(compression ? "true" : "false")}}}", StringComparison.Ordinal) + section);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity != DiagnosticSeverity.Info);
        Assert.Equal(expected, string.Join(',', result.Snapshot.Routes.Single(r => r.Host == "d.example.com").CompressionShown ?? []));
    }

    [Fact]
    public void A_config_route_compression_that_is_not_a_boolean_refuses_the_file()
    {
        var result = ConfigLoader.Parse("onehop.yaml", ConfigRoute.Replace("upstream: iis}", "upstream: iis, compression: gzip}", StringComparison.Ordinal));
        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Contains("compression", error.Field, StringComparison.Ordinal);
        Assert.Contains("'gzip' is not true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_annotation_value_is_a_warning_and_the_route_keeps_the_config_s_compression()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1")
            + Manifests.Ingress("odd", "a.example.com", "/", "web").Replace("name: odd", "name: odd\n  annotations: {onehop.dev/compression: \"gzip\"}", StringComparison.Ordinal);
        var config = ConfigLoader.Parse("onehop.yaml", "compression: {}").Config!;
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), config));
        Assert.Equal(CompressionPolicy.Default, Assert.Single(result.Snapshot.Routes).Compression);
        var warning = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning);
        Assert.Equal("metadata.annotations[onehop.dev/compression]", warning.Field);
        Assert.Contains("'gzip' is not true or false", warning.Message, StringComparison.Ordinal);
    }

    private static TranslationResult Translate(string config) =>
        Translator.Translate(TranslatorInput.Of(Manifests.State(Yaml), ConfigLoader.Parse("onehop.yaml", config).Config!));
}
