using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteReferenceGrant (conformance/tests/httproute-reference-grant.go): a backend in another namespace, allowed
/// by a ReferenceGrant there; once the grant is deleted, its requests are answered 500.
/// </summary>
public sealed class HttpRouteReferenceGrantTests(HttpRouteReferenceGrantTests.Gateway gateway) : IClassFixture<HttpRouteReferenceGrantTests.Gateway>
{
    /// <summary>One case: it deletes the grant the rest of it checks first.</summary>
    [Fact]
    public async Task Requests_reach_the_granted_backend_until_the_grant_is_deleted()
    {
        gateway.RoutesAccepted("same-namespace", "reference-grant");
        var request = new ConformanceRequest("/");
        await gateway.ExpectAsync(request, "web-backend");

        // The suite deletes the ReferenceGrant: here its document leaves the manifest, which OneHop reloads.
        var documents = ConformanceGateway.Data(gateway.Manifest).Split("\n---\n");
        Assert.Single(documents, d => d.Contains("kind: ReferenceGrant", StringComparison.Ordinal));
        await gateway.OneHop.WriteManifestAsync(gateway.Manifest, string.Join("\n---\n", documents.Where(d => !d.Contains("kind: ReferenceGrant", StringComparison.Ordinal))), TestTimeouts.Token());
        await OneHopInstance.EventuallyAsync(
            async () => (await gateway.SendAsync(request, TestTimeouts.Token())).Status == 500,
            TimeSpan.FromSeconds(10),
            "requests to the backend of a deleted ReferenceGrant answered 500",
            TestTimeouts.Token());
        gateway.RouteHas("reference-grant", "same-namespace", "ResolvedRefs", false, "RefNotPermitted");
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-reference-grant.yaml");
}
