using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// BackendTLSPolicyInvalidCACertificateRef (conformance/tests/backendtlspolicy-invalid-ca-certificate-ref.go), the
/// suite's manifest with EndpointSlices of a real TLS pod: a policy whose one CA reference names a missing ConfigMap, or
/// one without <c>ca.crt</c>, is not accepted (NoValidCACertificate), its ResolvedRefs False (InvalidCACertificateRef),
/// and requests to its Service are answered 5xx without reaching the pod, never over unverified TLS.
/// </summary>
public sealed class BackendTlsPolicyInvalidCaCertificateRefTests
{
    private const string Manifest = "backendtlspolicy-invalid-ca-certificate-ref.yaml";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_policy_without_a_usable_CA_fails_its_requests_closed()
    {
        await using var pod = await TlsBackendPod.StartAsync(Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await pod.ServeAsync(address, Manifest, [("backendtlspolicy-nonexistent-ca-certificate-ref-test", "https"), ("backendtlspolicy-malformed-ca-certificate-ref-test", "https")], Cancel);

        var status = TlsRouteOneHop.Status(onehop);
        var route = TlsRouteOneHop.Parent(status, "backendtlspolicy-invalid-ca-certificate-ref");
        Assert.Contains(route.Conditions, c => c is { Type: "Accepted", Status: true });
        foreach (var policy in new[] { "nonexistent-ca-certificate-ref", "malformed-ca-certificate-ref" })
        {
            status.PolicyHas(policy, "Accepted", false, "NoValidCACertificate");
            status.PolicyHas(policy, "ResolvedRefs", false, "InvalidCACertificateRef");
            var (code, body) = await TlsBackendPod.GetAsync(address, "/backendtlspolicy-" + policy, Cancel);
            Assert.True((int)code is 500 or 502 or 503, $"{policy}: expected 5xx, got {(int)code} {body}");
        }

        Assert.Equal(0, pod.Answered);
    }
}
