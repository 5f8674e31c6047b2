using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>A rotated certificate is used by the next handshake; established connections carry on.</summary>
public sealed class RotationTests
{
    [Fact]
    public async Task A_rotated_secret_is_seen_by_new_handshakes_while_an_old_connection_keeps_working()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("app", 1, ct);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["app.yaml"] = Yaml.Service("app", pods) + Yaml.TlsIngress("app", "app.example.org", "app-tls", "app"),
            ["secret.yaml"] = TestCertificates.Secret("app-tls", ca.Issue("app.example.org")),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, https: true);
        using var old = ca.Client(onehop.Port("https"));
        (await old.Http.GetAsync(old.Url("app.example.org"), ct)).EnsureSuccessStatusCode();
        var before = old.LastServerCertificate!.SerialNumber;

        await onehop.WriteManifestAsync("secret.yaml", TestCertificates.Secret("app-tls", ca.Issue("app.example.org")), ct);
        string? after = null;
        await OneHopInstance.EventuallyAsync(
            async () =>
            {
                using var fresh = ca.Client(onehop.Port("https"));
                (await fresh.Http.GetAsync(fresh.Url("app.example.org"), ct)).EnsureSuccessStatusCode();
                after = fresh.LastServerCertificate!.SerialNumber;
                return after != before;
            },
            TimeSpan.FromSeconds(10),
            "a new handshake presents the rotated certificate",
            ct);
        using var reused = await old.Http.GetAsync(old.Url("app.example.org"), ct);

        Assert.NotEqual(before, after);
        Assert.Equal(System.Net.HttpStatusCode.OK, reused.StatusCode);
        Assert.Equal(1, old.Connections);
        Assert.Equal(before, old.LastServerCertificate!.SerialNumber);
    }

    [Fact]
    public async Task A_certificate_file_from_the_config_is_reloaded_when_replaced()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("iis", 1, ct);
        var directory = Directory.CreateTempSubdirectory("onehop-certs-");
        try
        {
            var certFile = Path.Combine(directory.FullName, "legacy.crt");
            var keyFile = Path.Combine(directory.FullName, "legacy.key");
            await WritePairAsync(ca.Issue("legacy.example.net"), certFile, keyFile, ct);
            var config = $"""
                tls:
                  certificates:
                    - certFile: {certFile}
                      keyFile: {keyFile}
                upstreams:
                  - name: iis
                    endpoints:
                      - address: {pods.All.Single().Options.Address}:{pods.Port}
                routes:
                  - hosts: [legacy.example.net]
                    upstream: iis
                """;
            await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string>(), ct, config, https: true);
            using var first = ca.Client(onehop.Port("https"));
            (await first.Http.GetAsync(first.Url("legacy.example.net"), ct)).EnsureSuccessStatusCode();
            var before = first.LastServerCertificate!.SerialNumber;

            await WritePairAsync(ca.Issue("legacy.example.net"), certFile, keyFile, ct);
            await OneHopInstance.EventuallyAsync(
                async () =>
                {
                    using var fresh = ca.Client(onehop.Port("https"));
                    using var response = await fresh.Http.GetAsync(fresh.Url("legacy.example.net"), ct);
                    return response.IsSuccessStatusCode && fresh.LastServerCertificate!.SerialNumber != before;
                },
                TimeSpan.FromSeconds(15),
                "the replaced certificate file is served",
                ct);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_certificate_added_to_the_config_file_is_served_after_a_reload()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("iis", 1, ct);
        var upstream = $"""
            upstreams:
              - name: iis
                endpoints:
                  - address: {pods.All.Single().Options.Address}:{pods.Port}
            routes:
              - hosts: [added.example.net]
                upstream: iis
            """;
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string>(), ct, upstream, https: true);
        var certFile = Path.Combine(onehop.Directory, "added.crt");
        var keyFile = Path.Combine(onehop.Directory, "added.key");
        await WritePairAsync(ca.Issue("added.example.net"), certFile, keyFile, ct);
        using var before = ca.Client(onehop.Port("https"));
        await Assert.ThrowsAsync<HttpRequestException>(() => before.Http.GetAsync(before.Url("added.example.net"), ct));

        var reloaded = $"tls:\n  certificates:\n    - certFile: {certFile}\n      keyFile: {keyFile}\n" + upstream;
        await onehop.WriteConfigAsync(reloaded, ct);
        await OneHopInstance.EventuallyAsync(
            async () =>
            {
                using var fresh = ca.Client(onehop.Port("https"));
                try
                {
                    using var response = await fresh.Http.GetAsync(fresh.Url("added.example.net"), ct);
                    return response.IsSuccessStatusCode && fresh.LastServerCertificate!.Subject == "CN=added.example.net";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(15),
            "the certificate added to the config file is served",
            ct);
        Assert.Equal(DefaultCertificateSubject, before.LastServerCertificate!.Subject);
    }

    [Fact]
    public async Task A_default_certificate_removed_from_the_config_file_gives_way_to_the_built_in_one()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("iis", 1, ct);
        var upstream = $"""
            upstreams:
              - name: iis
                endpoints:
                  - address: {pods.All.Single().Options.Address}:{pods.Port}
            defaultUpstream: iis
            """;
        var directory = Directory.CreateTempSubdirectory("onehop-default-cert-").FullName;
        try
        {
            var (certFile, keyFile) = (Path.Combine(directory, "default.crt"), Path.Combine(directory, "default.key"));
            await WritePairAsync(ca.Issue("fallback.example.net"), certFile, keyFile, ct);
            var withDefault = $"tls:\n  defaultCertificate:\n    certFile: {certFile}\n    keyFile: {keyFile}\n" + upstream;
            await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string>(), ct, withDefault, https: true);
            Assert.Equal("CN=fallback.example.net", await ServedSubjectAsync(ca, onehop, ct));

            await onehop.WriteConfigAsync(upstream, ct);
            await OneHopInstance.EventuallyAsync(
                async () => await ServedSubjectAsync(ca, onehop, ct) == DefaultCertificateSubject,
                TimeSpan.FromSeconds(15),
                "the built-in default certificate is served again",
                ct);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The subject of the certificate served to a client whose SNI matches nothing (validation is not the point).</summary>
    private static async Task<string?> ServedSubjectAsync(TestCertificates ca, OneHopInstance onehop, CancellationToken ct)
    {
        using var client = ca.Client(onehop.Port("https"));
        try
        {
            using var response = await client.Http.GetAsync(client.Url("unknown.example.org"), ct);
        }
        catch (HttpRequestException)
        {
            // The name does not match the certificate; the handshake still showed it.
        }

        return client.LastServerCertificate?.Subject;
    }

    private const string DefaultCertificateSubject = Core.Tls.DefaultCertificate.Subject;

    // Replaced by rename, key first, as cert-manager's and certbot's deploy hooks do.
    private static async Task WritePairAsync((string Certificate, string Key) pair, string certFile, string keyFile, CancellationToken ct)
    {
        await File.WriteAllTextAsync(keyFile + ".tmp", pair.Key, ct);
        await File.WriteAllTextAsync(certFile + ".tmp", pair.Certificate, ct);
        File.Move(keyFile + ".tmp", keyFile, overwrite: true);
        File.Move(certFile + ".tmp", certFile, overwrite: true);
    }
}
