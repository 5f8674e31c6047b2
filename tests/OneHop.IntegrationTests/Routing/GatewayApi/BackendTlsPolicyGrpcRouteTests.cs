using Grpc.Core;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// BackendTLSPolicyGRPCRoute (conformance/tests/backendtlspolicy-grpcroute.go), the suite's manifest with EndpointSlices
/// of a real gRPC pod over TLS (h2 by ALPN; its certificate for abc.example.com, issued by the CA of the suite's
/// <c>tls-checks-ca-certificate</c>): the three policies are accepted with their references resolved; a call under the
/// normative policy reaches the pod, one under a policy whose hostname the certificate does not name, or whose CA
/// (<c>mismatch-ca-certificate</c>, another CA) did not issue it, fails.
/// </summary>
public sealed class BackendTlsPolicyGrpcRouteTests(BackendTlsPolicyGrpcRouteTests.Gateway gateway) : IClassFixture<BackendTlsPolicyGrpcRouteTests.Gateway>
{
    [Theory]
    [InlineData("grpc-normative-test")]
    [InlineData("grpc-host-mismatch")]
    [InlineData("grpc-cert-mismatch")]
    public void Each_policy_is_accepted_with_its_references_resolved(string policy)
    {
        var status = gateway.Status();
        status.PolicyHas(policy, "Accepted", true, "Accepted");
        status.PolicyHas(policy, "ResolvedRefs", true, "ResolvedRefs");
    }

    [Fact]
    public Task A_call_under_the_normative_policy_reaches_the_pod_over_verified_tls() =>
        gateway.ReachesAsync(GrpcConformanceGateway.V1, "Echo", "abc.example.com");

    [Theory]
    [InlineData("EchoTwo", "abc.example.com")]
    [InlineData("Echo", "cert-mismatch.example.com")]
    public async Task A_call_whose_pod_the_policy_does_not_verify_fails(string method, string authority) =>
        Assert.NotEqual(StatusCode.OK, (await gateway.CallAsync(method, authority)).Code);

    public sealed class Gateway(EchoBackends backends) : GrpcConformanceGateway(backends, "backendtlspolicy-grpcroute.yaml")
    {
        private readonly TestCertificates _ca = new("Conformance TLS checks CA");
        private readonly TestCertificates _otherCa = new("Conformance mismatch CA");
        private GrpcEchoPod? _pod;

        protected override async Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken)
        {
            var files = new Dictionary<string, string>(await base.MoreFilesAsync(cancellationToken));
            _pod = await GrpcEchoPod.StartAsync($"{V1}-tls", EchoBackends.Infra, cancellationToken, TlsBackendPod.ServerCertificate(_ca, "abc.example.com"));
            files["btls.yaml"] = ClientCertificateGateway.CaConfigMap("tls-checks-ca-certificate", _ca.CaPem)
                + ClientCertificateGateway.CaConfigMap("mismatch-ca-certificate", _otherCa.CaPem)
                + string.Concat(new[] { "backendtlspolicy-grpc-test", "backendtlspolicy-grpc-host-mismatch-test", "backendtlspolicy-grpc-cert-mismatch-test" }.Select(service => $$"""
                    ---
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata: {name: {{service}}-1, namespace: {{EchoBackends.Infra}}, labels: {kubernetes.io/service-name: {{service}}} }
                    addressType: IPv4
                    ports: [{name: btls, port: {{_pod.Port}} }]
                    endpoints: [{addresses: ["{{_pod.Address}}"], conditions: {ready: true} }]

                    """));
            return files;
        }

        protected override async ValueTask DisposeMoreAsync()
        {
            await base.DisposeMoreAsync();
            if (_pod is not null)
            {
                await _pod.DisposeAsync();
            }

            _ca.Dispose();
            _otherCa.Dispose();
        }
    }
}
