using System.Security.Authentication;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>ssl-protocols</c> in the controller ConfigMap through a real OneHop and real TLS clients: the
/// versions its HTTPS listener offers, changed by an edit at the next handshake; a bad value keeps the last good ones.
/// </summary>
public sealed class NginxTlsProtocolsEndToEndTests
{
    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ssl_protocols_is_what_the_https_listener_offers_and_an_edit_applies_at_the_next_handshake()
    {
        await using var pods = await TestPods.StartAsync("shop", 1, Cancel);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["shop.yaml"] = Yaml.Service("shop", pods) + Yaml.NginxIngress("shop", "shop.example.org", "shop"),
            ["controller.yaml"] = Yaml.NginxControllerMap(MapKey, "ssl-protocols: TLSv1.3"),
        };
        await using var onehop = await OneHopInstance.StartAsync(manifests, Cancel, https: true, configure: o => o with { NginxConfigMap = MapKey });
        var port = onehop.Port("https");

        Assert.Equal(SslProtocols.Tls13, await HandshakeAsync(port, SslProtocols.Tls12 | SslProtocols.Tls13));
        Assert.Null(await HandshakeAsync(port, SslProtocols.Tls12)); // refused: TLS 1.3 only

        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(MapKey, "ssl-protocols: TLSv1.2 TLSv1.3"), Cancel);
        await OneHopInstance.EventuallyAsync(async () => await HandshakeAsync(port, SslProtocols.Tls12) == SslProtocols.Tls12, TimeSpan.FromSeconds(10), "TLS 1.2 to be offered", Cancel);

        // Nothing OneHop offers: reported, and the last good versions stay.
        await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(MapKey, "ssl-protocols: TLSv1 TLSv1.1"), Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).ToString() is var status && status.Contains("InvalidConfigMapEntry", StringComparison.Ordinal) && status.Contains("data[ssl-protocols]", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the bad ssl-protocols to be reported in /api/status",
            Cancel);
        Assert.Equal(SslProtocols.Tls12, await HandshakeAsync(port, SslProtocols.Tls12));
        Assert.Equal(SslProtocols.Tls13, await HandshakeAsync(port, SslProtocols.Tls13));
    }

    /// <summary>The version a client offering <paramref name="offered"/> agreed on, or null when the handshake failed.</summary>
    private static async Task<SslProtocols?> HandshakeAsync(int port, SslProtocols offered) =>
        (await TlsHandshake.TryAsync(port, "shop.example.org", offered, null, Cancel))?.Protocol;
}
