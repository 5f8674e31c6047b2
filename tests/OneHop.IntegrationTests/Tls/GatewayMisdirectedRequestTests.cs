using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>
/// GatewayHTTPSListenerDetectMisdirectedRequests: on a Gateway's HTTPS port, a request whose Host selects another listener
/// than the TLS server name (SNI) it came in on is answered 421 Misdirected Request; the same names are served.
/// </summary>
public sealed class GatewayMisdirectedRequestTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_host_of_another_listener_than_the_sni_is_answered_421_and_a_matching_one_is_served()
    {
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["web.yaml"] = Yaml.Service("web", pods),
                ["tls.yaml"] = TestCertificates.Secret("secure-tls", ca.Issue("secure.example.com")) + TestCertificates.Secret("wild-tls", ca.Issue("*.example.com")),
                ["gateway.yaml"] = """
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: GatewayClass
                    metadata: {name: onehop}
                    spec: {controllerName: onehop.dev/gateway-controller}
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: Gateway
                    metadata: {name: edge, namespace: default}
                    spec:
                      gatewayClassName: onehop
                      listeners:
                      - {name: secure, port: 443, protocol: HTTPS, hostname: secure.example.com, tls: {certificateRefs: [{name: secure-tls}]}}
                      - {name: wild, port: 443, protocol: HTTPS, hostname: "*.example.com", tls: {certificateRefs: [{name: wild-tls}]}}
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: web, namespace: default}
                    spec:
                      parentRefs: [{name: edge}]
                      rules: [{backendRefs: [{name: web, port: 80}]}]
                    """,
            },
            Cancel,
            configure: o => o with { GatewayAddresses = [address] });
        await OneHopInstance.EventuallyAsync(
            async () => await StatusAsync(ca, address, "secure.example.com", "secure.example.com") == 200,
            TimeSpan.FromSeconds(10),
            "the HTTPS listener to serve",
            Cancel);

        Assert.Equal(200, await StatusAsync(ca, address, "a.example.com", "b.example.com"));
        Assert.Equal(421, await StatusAsync(ca, address, "secure.example.com", "a.example.com"));
        Assert.Equal(421, await StatusAsync(ca, address, "a.example.com", "secure.example.com"));
    }

    /// <summary>One HTTP/1.1 request over TLS with <paramref name="serverName"/> as SNI and <paramref name="host"/> as Host; its status, or 0 when TLS fails.</summary>
    private static async Task<int> StatusAsync(TestCertificates ca, IPAddress address, string serverName, string host)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(address, 443, Cancel);
            await using var tls = new SslStream(tcp.GetStream());
            var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            trust.CustomTrustStore.Add(ca.Ca);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName, ApplicationProtocols = [SslApplicationProtocol.Http11], CertificateChainPolicy = trust }, Cancel);
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), Cancel);
            using var reader = new StreamReader(tls, Encoding.ASCII);
            var status = await reader.ReadLineAsync(Cancel);
            return int.Parse(status!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            return 0;
        }
    }
}
