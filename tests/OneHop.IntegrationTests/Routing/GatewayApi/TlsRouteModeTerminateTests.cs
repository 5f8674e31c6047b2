using System.Net;
using System.Net.Sockets;
using System.Text;
using OneHop.Core.Routing.GatewayApi;
using OneHop.IntegrationTests.Proxy.Tcp;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// TLSRouteModeTerminate and TLSRouteModeMixed end to end, after the suite's TLSRouteTerminateSimpleSameNamespace and
/// TLSRouteMixedTerminationSameNamespace (conformance/tests at 4564255ac): a TLS listener in Terminate mode ends real
/// TLS clients' TLS with its certificateRef's certificate (issued by a throwaway CA, as the suite's is) and carries the
/// plain stream to the tcp-backend pod's plain port; beside it on the same port a Passthrough listener relays the TLS of
/// its SNI untouched to the pod's TLS port. The pod answers the suite's TCP exchange (welcome, PING, IS_TLS, TEST).
/// </summary>
public sealed class TlsRouteModeTerminateTests
{
    private const string Infra = EchoBackends.Infra;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_terminated_tlsroute_reaches_the_tcp_backend_in_plain_text()
    {
        // TLSRouteTerminateSimpleSameNamespace.
        using var ca = new TestCertificates("Conformance TLS checks CA");
        await using var pod = TcpBackendPod.Start("tcp-backend-0", Infra, ca.Issue("abc.example.com"));
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await StartAsync(ca, pod, address, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: tlsroute-terminated-test, namespace: gateway-conformance-infra}
            spec:
              parentRefs: [{name: gateway-tlsroute-terminate, namespace: gateway-conformance-infra}]
              hostnames: [tls.example.com]
              rules: [{backendRefs: [{name: tcp-backend, port: 3000}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-tlsroute-terminate, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: onehop
              listeners:
              - name: tlsterminate
                port: 8443
                protocol: TLS
                hostname: tls.example.com
                allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
                tls: {mode: Terminate, certificateRefs: [{name: tls-terminate-checks-certificate}]}
            """);
        await BoundAsync(onehop, $"gateway/tls/{address}:8443");

        var status = Status(onehop);
        var listener = Assert.Single(Assert.Single(status.Gateways).Listeners);
        Assert.Equal(("tlsterminate", 1), (listener.Name, listener.AttachedRoutes));
        Assert.All(Assert.Single(status.Gateways).Conditions, c => Assert.True(c.Status, c.ToString()));
        Assert.All(Assert.Single(status.Routes).Parents[0].Conditions, c => Assert.True(c.Status, c.ToString()));

        var answer = await TcpBackendPod.AskAsync(new IPEndPoint(address, 8443), "tls.example.com", ca.Ca, Cancel);
        Assert.Equal((false, "tcp-backend-0", Infra, string.Empty), (answer.IsTls, answer.Pod, answer.Namespace, answer.ServerName));
        Assert.Equal("CN=tls.example.com", answer.Certificate.Subject);
    }

    [Fact]
    public async Task Terminate_and_passthrough_listeners_on_one_port_are_told_apart_by_sni()
    {
        // TLSRouteMixedTerminationSameNamespace, then what the suite does not check: other names, failed handshakes, half-close.
        using var ca = new TestCertificates("Conformance TLS checks CA");
        await using var pod = TcpBackendPod.Start("tcp-backend-0", Infra, ca.Issue("abc.example.com"));
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await StartAsync(ca, pod, address, """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gateway-tlsroute-mixed-termination, namespace: gateway-conformance-infra}
            spec:
              gatewayClassName: onehop
              listeners:
              - name: tls-terminate
                port: 8883
                protocol: TLS
                hostname: tls.example.com
                allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
                tls: {mode: Terminate, certificateRefs: [{name: tls-terminate-checks-certificate}]}
              - name: tls-passthrough
                port: 8883
                protocol: TLS
                hostname: abc.example.com
                allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
                tls: {mode: Passthrough}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: gateway-conformance-mixed-passthroughroute, namespace: gateway-conformance-infra}
            spec:
              parentRefs: [{name: gateway-tlsroute-mixed-termination, namespace: gateway-conformance-infra}]
              hostnames: [abc.example.com]
              rules: [{backendRefs: [{name: tcp-backend, port: 8443}]}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: gateway-conformance-mixed-terminateroute, namespace: gateway-conformance-infra}
            spec:
              parentRefs: [{name: gateway-tlsroute-mixed-termination, namespace: gateway-conformance-infra}]
              hostnames: [tls.example.com]
              rules: [{backendRefs: [{name: tcp-backend, port: 3000}]}]
            """);
        var endpoint = new IPEndPoint(address, 8883);
        await BoundAsync(onehop, $"gateway/tls/{address}:8883");

        var gateway = Assert.Single(Status(onehop).Gateways);
        Assert.All(gateway.Listeners, l => Assert.Equal(("TLSRoute", 1), (Assert.Single(l.SupportedKinds), l.AttachedRoutes)));
        Assert.All(gateway.Listeners, l => Assert.Contains(l.Conditions, c => c is { Type: "Accepted", Status: true, Reason: "Accepted" }));

        var terminated = await TcpBackendPod.AskAsync(endpoint, "tls.example.com", ca.Ca, Cancel);
        Assert.Equal((false, "tcp-backend-0", Infra, string.Empty), (terminated.IsTls, terminated.Pod, terminated.Namespace, terminated.ServerName));
        Assert.Equal("CN=tls.example.com", terminated.Certificate.Subject);
        var passedThrough = await TcpBackendPod.AskAsync(endpoint, "abc.example.com", ca.Ca, Cancel);
        Assert.Equal((true, "tcp-backend-0", "abc.example.com"), (passedThrough.IsTls, passedThrough.Pod, passedThrough.ServerName));
        Assert.Equal("CN=abc.example.com", passedThrough.Certificate.Subject);
        Assert.Equal(2, pod.Connections);

        // A name no route takes, and plain text (no ClientHello): closed before any pod is reached.
        await Assert.ThrowsAnyAsync<Exception>(() => TcpBackendPod.AskAsync(endpoint, "other.example.com", ca.Ca, Cancel));
        using (var plain = await TcpClientHelpers.ConnectAsync(endpoint, Cancel))
        {
            await plain.SendAsync(Encoding.ASCII.GetBytes("PING\n"), SocketFlags.None, Cancel);
            Assert.True(await plain.ClosedWithinAsync(TimeSpan.FromSeconds(5), Cancel), "plain text on a TLS listener is closed");
        }

        Assert.Equal(2, pod.Connections);

        // The terminated name's certificate is the listener's, so a client trusting another CA refuses it. (On Linux .NET
        // checks the certificate once the handshake is over, so OneHop cannot tell and connects the pod; the client leaves.)
        using (var stranger = new TestCertificates("Another CA"))
        {
            await Assert.ThrowsAnyAsync<System.Security.Authentication.AuthenticationException>(() => TcpBackendPod.AskAsync(endpoint, "tls.example.com", stranger.Ca, Cancel));
        }

        // The client ends its TLS: the pod sees the end of its stream and closes, and the client then reads OneHop's close_notify.
        await using var session = await TlsPod.OpenAsync(endpoint, "tls.example.com", ca.Ca, Cancel);
        Assert.Equal("PONG", await session.EchoAsync("PING", Cancel));
        await session.ShutdownAsync(Cancel);
        Assert.True(await session.EndedWithinAsync(TimeSpan.FromSeconds(5), Cancel), "the pod's end reaches the client");
    }

    private static Task<OneHopInstance> StartAsync(TestCertificates ca, TcpBackendPod pod, IPAddress address, string manifest) =>
        TlsRouteOneHop.StartAsync([address], new Dictionary<string, string>
        {
            ["secret.yaml"] = TestCertificates.Secret("tls-terminate-checks-certificate", ca.Issue("tls.example.com"), ns: Infra),
            ["tcp-backend.yaml"] = pod.ServiceYaml("tcp-backend"),
            ["test.yaml"] = manifest,
        }, Cancel);

    private static GatewayApiStatus Status(OneHopInstance onehop) => TlsRouteOneHop.Status(onehop);

    private static Task BoundAsync(OneHopInstance onehop, string name) => TlsRouteOneHop.BoundAsync(onehop, name, Cancel);
}
