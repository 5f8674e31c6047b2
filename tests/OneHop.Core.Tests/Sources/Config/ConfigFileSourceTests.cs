using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Sources.Config;

public sealed class ConfigFileSourceTests : IDisposable
{
    private const string Good = "upstreams:\n  - name: iis\n    endpoints: [{address: 10.0.0.1:80}]\n";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_bad_reload_keeps_the_last_good_config_and_says_why()
    {
        var path = _dir.Write("onehop.yaml", Good);
        var source = new ConfigFileSource(path, ConfigLoader.Parse(path, Good).Config!, new FakeTimeProvider(), NullLogger<ConfigFileSource>.Instance);

        File.WriteAllText(path, Good.Replace("10.0.0.1:80", "10.0.0.1", StringComparison.Ordinal));
        Assert.True(source.Reload());

        Assert.Equal("10.0.0.1", source.Current.Config.Upstreams[0].Endpoints[0].Host);
        Assert.Contains(source.Current.Diagnostics, d => d.Field == "upstreams[0].endpoints[0].address");
        Assert.Contains(source.Current.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept);
    }

    [Fact]
    public void A_bad_reload_reports_every_error_with_its_line_unknown_fields_and_invalid_values_alike()
    {
        var path = _dir.Write("onehop.yaml", Good);
        var source = new ConfigFileSource(path, ConfigLoader.Parse(path, Good).Config!, new FakeTimeProvider(), NullLogger<ConfigFileSource>.Instance);

        File.WriteAllText(path, "upstreams:\n  - name: iis\n    sheme: https\n    endpoints: [{address: 10.0.0.1}]\n");
        Assert.True(source.Reload());

        Assert.Equal("10.0.0.1", source.Current.Config.Upstreams[0].Endpoints[0].Host);
        Assert.Equal(
            [("upstreams[0].sheme", 3), ("upstreams[0].endpoints[0].address", 4)],
            source.Current.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => (d.Field, d.Origin?.Line)));
        Assert.Contains(source.Current.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept);
    }

    [Fact]
    public void A_duration_too_large_for_a_timer_is_an_error_and_the_source_still_reads_the_repaired_file()
    {
        var path = _dir.Write("onehop.yaml", Good);
        var source = new ConfigFileSource(path, ConfigLoader.Parse(path, Good).Config!, new FakeTimeProvider(), NullLogger<ConfigFileSource>.Instance);

        File.WriteAllText(path, Good + "defaults:\n  requestTimeout: 99999999999h\n");
        Assert.True(source.Reload());
        Assert.Contains(source.Current.Diagnostics, d => d.Field == "defaults.requestTimeout" && d.Severity == DiagnosticSeverity.Error);

        File.WriteAllText(path, Good + "defaults:\n  requestTimeout: 90s\n");
        Assert.True(source.Reload());
        Assert.Equal(TimeSpan.FromSeconds(90), source.Current.Config.Defaults.RequestTimeout);
        Assert.DoesNotContain(source.Current.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_good_reload_applies_and_listener_changes_are_flagged_for_restart()
    {
        var path = _dir.Write("onehop.yaml", Good);
        var source = new ConfigFileSource(path, ConfigLoader.Parse(path, Good).Config!, new FakeTimeProvider(), NullLogger<ConfigFileSource>.Instance);

        File.WriteAllText(path, Good.Replace("10.0.0.1", "10.0.0.2", StringComparison.Ordinal) + "listeners: [{address: 0.0.0.0:81}]\n");
        Assert.True(source.Reload());

        Assert.Equal("10.0.0.2", source.Current.Config.Upstreams[0].Endpoints[0].Host);
        Assert.Contains(source.Current.Diagnostics, d => d.Field == "listeners" && d.Severity == DiagnosticSeverity.Warning);
        Assert.False(source.Reload());
    }

    [Fact]
    public void A_replaced_CA_bundle_reloads_the_config_even_when_the_file_itself_is_unchanged()
    {
        _dir.Write("ca.pem", CaPem("CN=Old CA"));
        const string Config = "upstreams:\n  - name: exchange\n    scheme: https\n    tlsCaFile: ca.pem\n    endpoints: [{address: mail.corp.example:443}]\n";
        var path = _dir.Write("onehop.yaml", Config);
        var source = new ConfigFileSource(path, ConfigLoader.LoadFile(path).Config!, new FakeTimeProvider(), NullLogger<ConfigFileSource>.Instance);
        Assert.False(source.Reload());

        var fresh = CaPem("CN=New CA");
        _dir.Write("ca.pem", fresh);

        Assert.True(source.Reload());
        Assert.Equal(fresh, source.Current.Config.Upstreams[0].TlsCaPem);
        Assert.False(source.Reload());
    }

    private static string CaPem(string subject)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var ca = new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return ca.ExportCertificatePem();
    }
}
