using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// TLSRouteInvalidReferenceGrant (conformance/tests/tlsroute-invalid-reference-grant.go at 4564255ac), its objects
/// written anew: a TLSRoute's backendRef to tls-backend in gateway-conformance-app-backend, with only ReferenceGrants that
/// miss it (another namespace, from-group, from-kind, from-namespace, to-group, to-kind, to-name), is accepted with
/// <c>ResolvedRefs=False</c>, reason <c>RefNotPermitted</c>; and its connections are closed before the pod (the
/// unresolved backend's share, which is all of them).
/// </summary>
public sealed class TlsRouteInvalidReferenceGrantTests
{
    private const string Infra = EchoBackends.Infra;
    private const string AppBackend = "gateway-conformance-app-backend";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_backendref_no_referencegrant_covers_is_refnotpermitted_and_reaches_no_pod()
    {
        using var ca = new TestCertificates("Conformance TLS checks CA");
        await using var pod = TcpBackendPod.Start("tls-backend-0", AppBackend, ca.Issue("abc.example.com"));
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await TlsRouteOneHop.StartAsync([address], new Dictionary<string, string>
        {
            ["app-backend.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {AppBackend}}}\n",
            ["tls-backend.yaml"] = pod.ServiceYaml("tls-backend", tlsPort: 443),
            ["grants.yaml"] = string.Join("---\n", [
                Grant("reference-grant-wrong-namespace", Infra, "gateway.networking.k8s.io", "TLSRoute", Infra, "", "Service", "tls-backend"),
                Grant("reference-grant-wrong-from-group", AppBackend, "not-the-group-youre-looking-for", "TLSRoute", Infra, "", "Service", "tls-backend"),
                Grant("reference-grant-wrong-from-kind", AppBackend, "gateway.networking.k8s.io", "Gateway", Infra, "", "Service", "tls-backend"),
                Grant("reference-grant-wrong-from-namespace", AppBackend, "gateway.networking.k8s.io", "TLSRoute", "not-the-namespace-youre-looking-for", "", "Service", "tls-backend"),
                Grant("reference-grant-wrong-to-group", AppBackend, "gateway.networking.k8s.io", "TLSRoute", Infra, "not-the-group-youre-looking-for", "Service", "tls-backend"),
                Grant("reference-grant-wrong-to-kind", AppBackend, "gateway.networking.k8s.io", "TLSRoute", Infra, "", "Secret", "tls-backend"),
                Grant("reference-grant-wrong-to-name", AppBackend, "gateway.networking.k8s.io", "TLSRoute", Infra, "", "Service", "not-the-service-youre-looking-for"),
            ]),
            ["test.yaml"] = $$"""
                apiVersion: gateway.networking.k8s.io/v1
                kind: TLSRoute
                metadata: {name: gateway-conformance-infra-test, namespace: {{Infra}}}
                spec:
                  parentRefs: [{name: gateway-tlsroute-referencegrant}]
                  hostnames: [abc.example.com]
                  rules: [{backendRefs: [{name: tls-backend, namespace: {{AppBackend}}, port: 443}]}]
                """ + TlsRouteOneHop.PassthroughGateway("gateway-tlsroute-referencegrant"),
        }, Cancel);
        await TlsRouteOneHop.BoundAsync(onehop, $"gateway/tls/{address}:443", Cancel);

        var status = TlsRouteOneHop.Status(onehop);
        var gateway = Assert.Single(status.Gateways);
        Assert.All(gateway.Conditions, c => Assert.True(c.Status, c.ToString()));
        Assert.Equal(1, Assert.Single(gateway.Listeners).AttachedRoutes);
        var parent = TlsRouteOneHop.Parent(status, "gateway-conformance-infra-test");
        Assert.Contains(parent.Conditions, c => c is { Type: "Accepted", Status: true });
        Assert.Contains(parent.Conditions, c => c is { Type: "ResolvedRefs", Status: false, Reason: "RefNotPermitted" });

        await Assert.ThrowsAnyAsync<Exception>(() => TcpBackendPod.AskAsync(new IPEndPoint(address, 443), "abc.example.com", ca.Ca, Cancel));
        Assert.Equal(0, pod.Connections);
    }

    private static string Grant(string name, string ns, string fromGroup, string fromKind, string fromNamespace, string toGroup, string toKind, string toName) => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: ReferenceGrant
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          from: [{group: "{{fromGroup}}", kind: {{fromKind}}, namespace: {{fromNamespace}}}]
          to: [{group: "{{toGroup}}", kind: {{toKind}}, name: {{toName}}}]

        """;
}
