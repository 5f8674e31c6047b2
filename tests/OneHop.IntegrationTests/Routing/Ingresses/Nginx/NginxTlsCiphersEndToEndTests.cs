using System.Net.Security;
using System.Security.Authentication;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>ssl-ciphers</c> in the controller ConfigMap, and the config file's <c>tls.cipherSuites</c> list,
/// through a real OneHop and real TLS clients that offer one suite each: what is listed is agreed on, what is not is
/// refused, TLS 1.3 stays as nginx leaves it, and an edit applies at the next handshake.
/// </summary>
public sealed class NginxTlsCiphersEndToEndTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    // Both key types: whichever OneHop's default certificate has, one of each pair can be agreed on.
    private static readonly TlsCipherSuite[] Aes128 = [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
    private static readonly TlsCipherSuite[] Aes256 = [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ssl_ciphers_is_what_tls_1_2_clients_may_agree_on_and_an_edit_applies_at_the_next_handshake()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "OneHop sets cipher suites on Linux only");
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods) + Yaml.NginxIngress("shop", "shop.example.org", "shop"),
            ["controller.yaml"] = Yaml.NginxControllerMap(MapKey, "ssl-ciphers: ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, https: true, configure: o => o with { NginxConfigMap = MapKey });
        var port = onehop.Port("https");

        Assert.Contains(Assert.NotNull(await HandshakeAsync(port, SslProtocols.Tls12, Aes128)), Aes128);
        Assert.Null(await HandshakeAsync(port, SslProtocols.Tls12, Aes256));
        Assert.Equal(TlsCipherSuite.TLS_AES_256_GCM_SHA384, await HandshakeAsync(port, SslProtocols.Tls13, [TlsCipherSuite.TLS_AES_256_GCM_SHA384]));

        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(MapKey, "ssl-ciphers: ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384"), Cancel);
        await OneHopInstance.EventuallyAsync(async () => await HandshakeAsync(port, SslProtocols.Tls12, Aes256) is not null, TimeSpan.FromSeconds(10), "AES-256 to be offered", Cancel);
        Assert.Null(await HandshakeAsync(port, SslProtocols.Tls12, Aes128));

        // An alias: reported, and the last good list stays.
        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(MapKey, "ssl-ciphers: HIGH:!aNULL:!MD5"), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).ToString() is var status && status.Contains("data[ssl-ciphers]", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the bad ssl-ciphers to be reported in /api/status",
            Cancel);
        Assert.NotNull(await HandshakeAsync(port, SslProtocols.Tls12, Aes256));
        Assert.Null(await HandshakeAsync(port, SslProtocols.Tls12, Aes128));
    }

    [Fact]
    public async Task The_config_file_s_list_is_what_tls_1_2_clients_may_agree_on()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "OneHop sets cipher suites on Linux only");
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var manifests = new Dictionary<string, string> { ["shop.yaml"] = Yaml.DefaultClass + Yaml.Service("shop", pods) + Yaml.Ingress("shop", "/", "shop") };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, "tls:\n  cipherSuites: ECDHE-RSA-AES256-GCM-SHA384:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n", https: true);
        var port = onehop.Port("https");

        Assert.Contains(Assert.NotNull(await HandshakeAsync(port, SslProtocols.Tls12, Aes256)), Aes256);
        Assert.Null(await HandshakeAsync(port, SslProtocols.Tls12, Aes128));
        Assert.NotNull(await HandshakeAsync(port, SslProtocols.Tls13, [TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256]));
    }

    /// <summary>The suite a client offering only <paramref name="offered"/> agreed on, or null when the handshake failed.</summary>
    private static async Task<TlsCipherSuite?> HandshakeAsync(int port, SslProtocols version, TlsCipherSuite[] offered) =>
        (await TlsHandshake.TryAsync(port, "shop.example.org", version, offered, Cancel))?.Suite;
}
