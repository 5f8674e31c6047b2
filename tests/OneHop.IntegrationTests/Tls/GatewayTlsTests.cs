using System.Net;
using OneHop.Core.Tls;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>A Gateway's HTTPS listener terminates TLS with its certificateRef's Secret, chosen by SNI like an Ingress's.</summary>
public sealed class GatewayTlsTests
{
    [Fact]
    public async Task An_https_listener_serves_its_secrets_certificate_and_a_missing_secret_is_reported_with_the_default_served()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pods = await TestPods.StartAsync("web", 1, ct);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["web.yaml"] = Yaml.Service("web", pods),
                ["tls.yaml"] = TestCertificates.Secret("secure-tls", ca.Issue("secure.example.com")),
                ["gateway.yaml"] = Gateway(),
            },
            ct,
            configure: o => o with { GatewayAddresses = [address] });
        using var client = ca.Client(443, address: address);

        await OneHopInstance.EventuallyAsync(
            async () =>
            {
                try
                {
                    using var response = await client.Http.GetAsync(client.Url("secure.example.com"), ct);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10),
            "the HTTPS listener serves secure.example.com",
            ct);
        Assert.Equal("CN=secure.example.com", client.LastServerCertificate!.Subject);

        // The second listener's Secret does not exist: its host is still served, with the default certificate.
        await Assert.ThrowsAsync<HttpRequestException>(() => client.Http.GetAsync(client.Url("other.example.com"), ct));
        Assert.Equal(DefaultCertificate.Subject, client.LastServerCertificate!.Subject);

        var status = await onehop.StatusAsync(ct);
        var listener = status.GetProperty("gatewayApi").GetProperty("gateways")[0].GetProperty("listeners").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "other");
        var resolved = listener.GetProperty("conditions").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "ResolvedRefs");
        Assert.Equal(("InvalidCertificateRef", false), (resolved.GetProperty("reason").GetString(), resolved.GetProperty("status").GetBoolean()));
    }

    private static string Gateway() => """
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
          - {name: other, port: 443, protocol: HTTPS, hostname: other.example.com, tls: {certificateRefs: [{name: missing-tls}]}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: default}
        spec:
          parentRefs: [{name: edge}]
          rules: [{backendRefs: [{name: web, port: 80}]}]
        """;
}
