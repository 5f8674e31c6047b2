using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// BackendTLSPolicyInvalidKind (conformance/tests/backendtlspolicy-invalid-kind.go), the suite's manifest with an
/// EndpointSlice of a real TLS pod: a policy whose one CA reference is of another kind is not accepted
/// (NoValidCACertificate), its ResolvedRefs False (InvalidKind), and requests to its Service are answered 5xx without
/// reaching the pod.
/// </summary>
public sealed class BackendTlsPolicyInvalidKindTests
{
    private const string Manifest = "backendtlspolicy-invalid-kind.yaml";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_CA_reference_of_another_kind_fails_the_requests_closed()
    {
        await using var pod = await TlsBackendPod.StartAsync(Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await pod.ServeAsync(address, Manifest, [("backendtlspolicy-invalid-kind-test", "https")], Cancel);

        var status = TlsRouteOneHop.Status(onehop);
        Assert.Contains(TlsRouteOneHop.Parent(status, "backendtlspolicy-invalid-kind-test").Conditions, c => c is { Type: "Accepted", Status: true });
        status.PolicyHas("invalid-kind", "Accepted", false, "NoValidCACertificate");
        status.PolicyHas("invalid-kind", "ResolvedRefs", false, "InvalidKind");

        var (code, body) = await TlsBackendPod.GetAsync(address, "/backendtlspolicy-invalid-kind", Cancel);
        Assert.True((int)code is 500 or 502 or 503, $"expected 5xx, got {(int)code} {body}");
        Assert.Equal(0, pod.Answered);
    }
}
