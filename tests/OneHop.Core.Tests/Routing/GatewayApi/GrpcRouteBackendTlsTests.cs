using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>
/// A GRPCRoute's backend under a BackendTLSPolicy: gRPC is HTTP/2, so the pods are reached over h2 (TLS, the policy's
/// verification), not over the HTTP/1.1-over-TLS the policy makes of the port for HTTPRoutes; without a policy over h2c.
/// A port whose appProtocol names its protocol keeps it.
/// </summary>
public sealed class GrpcRouteBackendTlsTests
{
    [Theory]
    [InlineData("grpc", true, "grpc:default/grpc:443", "H2")]
    [InlineData("grpc", false, "grpc:default/grpc:443", "H2c")]
    [InlineData("web", true, "default/web:443", "Https")]
    public void A_grpc_route_reaches_its_pods_over_http2_and_over_tls_under_a_policy(string service, bool policy, string id, string protocol)
    {
        var tls = policy ? $$"""
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: BackendTLSPolicy
            metadata: {name: tls, namespace: default}
            spec:
              targetRefs: [{group: "", kind: Service, name: {{service}}, sectionName: btls}]
              validation: {wellKnownCACertificates: System, hostname: abc.example.com}
            """ : string.Empty;
        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(Manifests.HttpGateway + $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: echo, namespace: default}
            spec:
              parentRefs: [{name: edge}]
              rules: [{backendRefs: [{name: {{service}}, port: 443}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: grpc, namespace: default}
            spec: {ports: [{name: btls, port: 443}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec: {ports: [{name: btls, port: 443, appProtocol: https}]}

            """ + tls)));

        var route = Assert.Single(result.Snapshot.Routes, r => r.Source.StartsWith("GRPCRoute", StringComparison.Ordinal));
        var backend = Assert.Single(result.Snapshot.Backends, b => b.Id == route.BackendId);
        Assert.Equal((id, protocol), (backend.Id, backend.Protocol.ToString()));
        Assert.Equal(policy, backend.Tls is { Verify: true, ServerName: "abc.example.com" });
    }
}
