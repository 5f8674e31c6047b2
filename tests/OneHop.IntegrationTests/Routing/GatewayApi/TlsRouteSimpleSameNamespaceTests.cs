using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// TLSRouteSimpleSameNamespace (conformance/tests/tlsroute-simple-same-namespace.go at 4564255ac), its objects written
/// anew: a TLSRoute for abc.example.com attached to a Passthrough listener for <c>*.example.com</c> of a Gateway of its
/// namespace reaches the tcp-backend pod's TLS port. A real TLS client asks for the name and verifies the pod's own
/// certificate against the CA of the suite's tls-checks-ca-certificate; the pod says it spoke TLS and saw that SNI.
/// </summary>
public sealed class TlsRouteSimpleSameNamespaceTests
{
    private const string Infra = EchoBackends.Infra;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_passthrough_tlsroute_reaches_the_tcp_backend_over_its_own_tls()
    {
        using var ca = new TestCertificates("Conformance TLS checks CA");
        await using var pod = TcpBackendPod.Start("tcp-backend-0", Infra, ca.Issue("abc.example.com"));
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await TlsRouteOneHop.StartAsync([address], new Dictionary<string, string>
        {
            ["tcp-backend.yaml"] = pod.ServiceYaml("tcp-backend"),
            ["test.yaml"] = """
                apiVersion: gateway.networking.k8s.io/v1
                kind: TLSRoute
                metadata: {name: gateway-conformance-infra-test, namespace: gateway-conformance-infra}
                spec:
                  parentRefs: [{name: gateway-tlsroute, namespace: gateway-conformance-infra}]
                  hostnames: [abc.example.com]
                  rules: [{backendRefs: [{name: tcp-backend, port: 8443}]}]
                """ + TlsRouteOneHop.PassthroughGateway("gateway-tlsroute"),
        }, Cancel);
        await TlsRouteOneHop.BoundAsync(onehop, $"gateway/tls/{address}:443", Cancel);

        // GatewayAndTLSRoutesMustBeAccepted: the Gateway and its listener accepted and programmed, the route accepted with its refs resolved.
        var status = TlsRouteOneHop.Status(onehop);
        var gateway = Assert.Single(status.Gateways);
        Assert.All(gateway.Conditions, c => Assert.True(c.Status, c.ToString()));
        var listener = Assert.Single(gateway.Listeners);
        Assert.Equal(("https", 1), (listener.Name, listener.AttachedRoutes));
        Assert.All(listener.Conditions, c => Assert.Equal(c.Type != "Conflicted", c.Status));
        Assert.All(TlsRouteOneHop.Parent(status, "gateway-conformance-infra-test").Conditions, c => Assert.True(c.Status, c.ToString()));

        var answer = await TcpBackendPod.AskAsync(new IPEndPoint(address, 443), "abc.example.com", ca.Ca, Cancel);
        Assert.Equal((true, "tcp-backend-0", Infra, "abc.example.com"), (answer.IsTls, answer.Pod, answer.Namespace, answer.ServerName));
        Assert.Equal("CN=abc.example.com", answer.Certificate.Subject);
    }
}
