using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Sources.Manifests;

/// <summary>
/// One bad object never freezes routing: with objects that once made the translator throw in the directory from the
/// start, OneHop becomes ready, serves the good Ingress, applies later edits, and names the file of each finding.
/// </summary>
public sealed class HostileManifestsTests
{
    private const string Hostile = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: hostile
          annotations: {onehop.dev/timeout: "99999999999h", onehop.dev/hsts: null, onehop.dev/load-balance: null}
        spec:
          tls: [null, {hosts: [null]}]
          rules: [null, {host: hostile.example.com, http: {paths: [null, {path: /, pathType: Prefix, backend: {service: {name: odd, port: {number: 80}}}}]}}]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: odd
          annotations: {onehop.dev/slow-start: "99999999999h", onehop.dev/backend-protocol: null}
        spec:
          ports: [null, {port: 80, targetPort: 8080}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: odd-1
          labels: {kubernetes.io/service-name: odd}
        addressType: IPv4
        ports: [null, {port: 70000}]
        endpoints: [null, {addresses: [null]}, {addresses: [10.255.0.1], hints: {forZones: [null]}}]

        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hostile_objects_from_the_start_neither_block_readiness_nor_freeze_later_edits()
    {
        await using var web = await TestPods.StartAsync("web", 2, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["hostile.yaml"] = Hostile,
                ["site.yaml"] = DefaultClass + Service("web", web.Port, Endpoint.Ready(web["web-0"])) + Ingress("site", "/", "web"),
            },
            Cancel);

        Assert.Equal((200, "web-0"), ((await onehop.GetAsync("/", Cancel)).Status, (await onehop.GetAsync("/", Cancel)).Pod));
        var status = await onehop.StatusAsync(Cancel);
        var findings = status.GetProperty("diagnostics").EnumerateArray()
            .Where(d => d.GetProperty("origin").TryGetProperty("file", out var file) && file.GetString() == "hostile.yaml")
            .Select(d => d.GetProperty("code").GetString())
            .ToHashSet();
        Assert.Superset(new HashSet<string?> { "InvalidObject", "InvalidAnnotation", "InvalidEndpointPort", "InvalidServicePort" }, findings);
        Assert.DoesNotContain("InternalError", findings);

        await onehop.WriteManifestAsync("site.yaml", DefaultClass + Service("web", web.Port, Endpoint.Ready(web["web-1"])) + Ingress("site", "/", "web"), Cancel);
        await OneHopInstance.EventuallyAsync(async () => (await onehop.GetAsync("/", Cancel)).Pod == "web-1", TimeSpan.FromSeconds(5), "the edit to apply", Cancel);
    }
}
