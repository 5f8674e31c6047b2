using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>
/// TLS session resumption is on by default (no cipher-suite policy: .NET keeps one OpenSSL context and its session
/// cache); <c>tls.cipherSuites: modern</c> sets Mozilla's list as a policy, which refuses the CBC suites the default lets in.
/// </summary>
public sealed class SessionResumptionTests
{
    private const string Request = "GET / HTTP/1.1\r\nHost: foo.bar.com\r\nConnection: close\r\n\r\n";

    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task A_client_that_kept_its_session_resumes_it_by_default(string version)
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, ct);
        await using var wild = await TestPods.StartAsync("wild", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(SniTests.Manifests(ca, foo, wild), ct, https: true);
        var session = Path.Combine(onehop.Directory, "session.pem");
        var port = onehop.Port("https");

        // The request makes s_client read until the server closes, so a TLS 1.3 ticket (sent after the handshake) is kept.
        var first = await OpensslAsync(port, [version, "-sess_out", session], ct);
        var second = await OpensslAsync(port, [version, "-sess_in", session], ct);

        Assert.Contains("X-Pod: foo-0", first.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("New, TLSv1.", first.Output, StringComparison.Ordinal);
        Assert.Contains("Reused, TLSv1.", second.Output, StringComparison.Ordinal);
        Assert.Contains("X-Pod: foo-0", second.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_modern_list_refuses_a_cbc_suite_that_the_default_accepts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, ct);
        await using var wild = await TestPods.StartAsync("wild", 1, ct);
        await using var modern = await OneHopInstance.StartAsync(SniTests.Manifests(ca, foo, wild), ct, config: "tls: {cipherSuites: modern}", https: true);
        await using var standard = await OneHopInstance.StartAsync(SniTests.Manifests(ca, foo, wild), ct, https: true);
        string[] cbc = ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"];
        string[] aead = ["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"];

        var refused = await OpensslAsync(modern.Port("https"), cbc, ct);
        var served = await OpensslAsync(modern.Port("https"), aead, ct);
        var accepted = await OpensslAsync(standard.Port("https"), cbc, ct);

        Assert.NotEqual(0, refused.Code);
        Assert.DoesNotContain("X-Pod", refused.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", served.Output, StringComparison.Ordinal);
        Assert.Contains("X-Pod: foo-0", served.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Cipher is ECDHE-ECDSA-AES128-SHA256", accepted.Output, StringComparison.Ordinal);
        Assert.Contains("X-Pod: foo-0", accepted.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task No_version_older_than_tls_1_2_is_offered_by_default()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var foo = await TestPods.StartAsync("foo", 1, ct);
        await using var wild = await TestPods.StartAsync("wild", 1, ct);
        await using var onehop = await OneHopInstance.StartAsync(SniTests.Manifests(ca, foo, wild), ct, https: true);

        // SECLEVEL=0 on the client's side only, so that it offers TLS 1.1 at all; the server must still refuse it.
        var old = await OpensslAsync(onehop.Port("https"), ["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"], ct);

        Assert.NotEqual(0, old.Code);
        Assert.DoesNotContain("X-Pod", old.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<(int Code, string Output, string Error)> OpensslAsync(int port, IEnumerable<string> options, CancellationToken ct) =>
        ExternalTool.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "foo.bar.com", "-alpn", "http/1.1", "-ign_eof", .. options], Request, ct);
}
