using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// BackendTLSPolicyConflictResolution (conformance/tests/backendtlspolicy-conflict-resolution.go), the suite's manifest
/// with EndpointSlices of a real TLS pod: of two policies for one Service (or one named port of it) the first by
/// creation, then name, is accepted and used, the other is Conflicted; a policy for a port and one for the whole Service
/// are no conflict, each serving its ports. Each policy's hostname is the SNI the pod sees.
/// </summary>
public sealed class BackendTlsPolicyConflictResolutionTests
{
    private const string Manifest = "backendtlspolicy-conflict-resolution.yaml";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_policy_of_a_target_wins_and_its_hostname_reaches_the_pod()
    {
        await using var pod = await TlsBackendPod.StartAsync(Cancel);
        var address = IPAddress.Parse(LoopbackAddresses.Next());
        await using var onehop = await pod.ServeAsync(
            address,
            Manifest,
            [
                ("backendtlspolicy-conflicted-without-section-name-test", "https"),
                ("backendtlspolicy-conflicted-with-section-name-test", "https-1"),
                ("backendtlspolicy-conflicted-with-section-name-test", "https-2"),
                ("backendtlspolicy-not-conflicted-test", "https-1"),
                ("backendtlspolicy-not-conflicted-test", "https-2"),
            ],
            Cancel);

        var status = TlsRouteOneHop.Status(onehop);
        Assert.All(TlsRouteOneHop.Parent(status, "backendtlspolicy-conflict-resolution").Conditions, c => Assert.True(c.Status, c.ToString()));
        foreach (var accepted in new[] { "conflicted-without-section-name-1", "conflicted-with-section-name-1", "not-conflicted-with-section-name", "not-conflicted-without-section-name" })
        {
            status.PolicyHas(accepted, "Accepted", true, "Accepted");
        }

        status.PolicyHas("conflicted-without-section-name-2", "Accepted", false, "Conflicted");
        status.PolicyHas("conflicted-with-section-name-2", "Accepted", false, "Conflicted");

        // The suite's requests, and the SNI each expects the pod to see: the winning policy's hostname.
        await ExpectAsync(address, "/backendtlspolicy-conflicted-without-section-name", "other.example.com");
        await ExpectAsync(address, "/backendtlspolicy-conflicted-with-section-name", "other.example.com");
        await ExpectAsync(address, "/backendtlspolicy-not-conflicted-with-section-name", "other.example.com");
        await ExpectAsync(address, "/backendtlspolicy-not-conflicted-without-section-name", "abc.example.com");
        Assert.Equal(4, pod.Answered);
    }

    private static async Task ExpectAsync(IPAddress address, string path, string sni)
    {
        var (status, body) = await TlsBackendPod.GetAsync(address, path, Cancel);
        Assert.True(status == HttpStatusCode.OK && body == sni, $"{path}: expected 200 with SNI {sni}, got {(int)status} {body}");
    }
}
