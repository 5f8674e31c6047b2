using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// OneHop's own cases beside the suite's backendRef URLRewrite and RequestRedirect: the same filters on infra-backend-v1's
/// h2c port (8081), whose requests YARP's forwarder carries rather than OneHop's HTTP/1.1 one; a split whose backendRefs
/// filter differently (each request gets what its own backend asks); and a backendRef filter with a bad value, reported
/// in <c>/api/status</c> while the other routes serve.
/// </summary>
public sealed class BackendRefFiltersTests(BackendRefFiltersTests.Gateway gateway) : IClassFixture<BackendRefFiltersTests.Gateway>
{
    [Fact]
    public async Task A_rewrite_on_a_backend_ref_reaches_an_h2c_pod()
    {
        var request = new ConformanceRequest("/h2c-rewrite/x?q=1");
        var echo = ConformanceAssert.Reached(await gateway.SendAsync(request, TestTimeouts.Token()), request, InfraV1, path: "/rewritten/x?q=1", host: "rewritten.example.com");
        Assert.Equal("HTTP/2", echo.Proto);
    }

    [Fact]
    public Task A_redirect_on_an_h2c_backend_ref_is_answered_by_onehop() =>
        gateway.ExpectRedirectAsync("/h2c-redirect/x", 302, location: "/moved");

    [Fact]
    public async Task Each_backend_of_a_split_applies_its_own_filter_alone()
    {
        var (rewritten, redirected) = (0, 0);
        for (var i = 0; i < 40; i++)
        {
            var request = new ConformanceRequest($"/split/{i}");
            var response = await gateway.SendAsync(request, TestTimeouts.Token());
            if (response.Status == 302)
            {
                Assert.Equal("/elsewhere", response.Location?.AbsolutePath);
                redirected++;
            }
            else
            {
                ConformanceAssert.Reached(response, request, InfraV1, path: $"/v1/{i}");
                rewritten++;
            }
        }

        Assert.True(rewritten > 0 && redirected > 0, $"{rewritten} rewritten, {redirected} redirected: both backends must take some");
    }

    [Fact]
    public async Task A_bad_backend_ref_filter_is_reported_and_its_share_answered_500_while_other_routes_serve()
    {
        var bad = new ConformanceRequest("/bad");
        Assert.Equal(500, (await gateway.SendAsync(bad, TestTimeouts.Token())).Status);
        var good = new ConformanceRequest("/full/original");
        ConformanceAssert.Reached(await gateway.SendAsync(good, TestTimeouts.Token()), good, InfraV1, path: "/rewritten-full");

        var status = await gateway.OneHop.StatusAsync(TestTimeouts.Token());
        var route = status.GetProperty("gatewayApi").GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("ref").GetProperty("name").GetString() == "bad-backend-filter");
        var resolved = route.GetProperty("parents")[0].GetProperty("conditions").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "ResolvedRefs");
        Assert.Equal(("UnsupportedValue", false), (resolved.GetProperty("reason").GetString(), resolved.GetProperty("status").GetBoolean()));
        Assert.Contains("spec.rules[0].backendRefs[0].filters[0].requestRedirect.statusCode: 404", resolved.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(status.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("message").GetString()!.Contains("requestRedirect.statusCode: 404", StringComparison.Ordinal));
    }

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-backend-url-rewrite.yaml")
    {
        protected override Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
            {
                ["onehop-backend-filters.yaml"] = """
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: backend-filters, namespace: gateway-conformance-infra}
                    spec:
                      parentRefs: [{name: same-namespace}]
                      rules:
                      - matches: [{path: {type: PathPrefix, value: /h2c-rewrite}}]
                        backendRefs:
                        - name: infra-backend-v1
                          port: 8081
                          filters: [{type: URLRewrite, urlRewrite: {hostname: rewritten.example.com, path: {type: ReplacePrefixMatch, replacePrefixMatch: /rewritten}}}]
                      - matches: [{path: {type: PathPrefix, value: /h2c-redirect}}]
                        backendRefs:
                        - name: infra-backend-v1
                          port: 8081
                          filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /moved}}}]
                      - matches: [{path: {type: PathPrefix, value: /split}}]
                        backendRefs:
                        - name: infra-backend-v1
                          port: 8080
                          filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v1}}}]
                        - name: infra-backend-v2
                          port: 8080
                          filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /elsewhere}}}]
                    ---
                    apiVersion: gateway.networking.k8s.io/v1
                    kind: HTTPRoute
                    metadata: {name: bad-backend-filter, namespace: gateway-conformance-infra}
                    spec:
                      parentRefs: [{name: same-namespace}]
                      rules:
                      - matches: [{path: {type: PathPrefix, value: /bad}}]
                        backendRefs:
                        - name: infra-backend-v1
                          port: 8080
                          filters: [{type: RequestRedirect, requestRedirect: {statusCode: 404}}]
                    """,
            });
    }
}
