using k8s;
using k8s.Models;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State.GatewayApi;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Sources.Manifests;

/// <summary>
/// The Native AOT build reads YAML objects through their JSON form (ManifestParser with yamlThroughJson), since
/// KubernetesYaml cannot start there. These run that path on the JIT build and hold it to KubernetesYaml's results.
/// </summary>
public sealed class YamlThroughJsonTests
{
    public static TheoryData<string> ManifestFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(SourceTree.ProjectDirectory, "*.yaml", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}manifests{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(SourceTree.ProjectDirectory, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Every_test_manifest_reads_the_same_both_ways(string file)
    {
        var content = File.ReadAllText(Path.Combine(SourceTree.ProjectDirectory, file));

        var viaYaml = ManifestParser.Parse(file, content, yamlThroughJson: false);
        var viaJson = ManifestParser.Parse(file, content, yamlThroughJson: true);

        Assert.Equal(Describe(viaYaml), Describe(viaJson));
        Assert.Equal(viaYaml.Diagnostics.Select(d => (d.Code, d.Origin?.Document)), viaJson.Diagnostics.Select(d => (d.Code, d.Origin?.Document)));
    }

    [Fact]
    public void The_manifest_directory_holds_enough_to_compare()
    {
        Assert.True(ManifestFiles().Count >= 50);
    }

    [Fact]
    public void Scalars_take_the_meaning_of_the_field_they_fill()
    {
        const string yaml = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: web-1
              labels: {kubernetes.io/service-name: web, tier: 80, on: true}
              annotations: {empty: "", quoted: "007"}
            addressType: IPv4
            ports: [{name: http, port: "8080"}, {name: grpc, port: 9090, protocol: ~}]
            endpoints:
              - addresses: [10.0.0.1]
                conditions: {ready: false, serving: "true", terminating: False}
            """;

        var both = new[] { false, true }.Select(json => (V1EndpointSlice)Assert.Single(ManifestParser.Parse("s.yaml", yaml, json).Objects).Object).ToArray();

        Assert.Equal(KubernetesJson.Serialize(both[0]), KubernetesJson.Serialize(both[1]));
        var slice = both[1];
        Assert.Equal(("80", "true"), (slice.Metadata.Labels["tier"], slice.Metadata.Labels["on"]));
        Assert.Equal(("", "007"), (slice.Metadata.Annotations["empty"], slice.Metadata.Annotations["quoted"]));
        Assert.Equal([8080, 9090], slice.Ports.Select(p => p.Port));
        Assert.Null(slice.Ports[1].Protocol);
        var conditions = slice.Endpoints[0].Conditions;
        Assert.Equal((false, true, false), (conditions.Ready, conditions.Serving, conditions.Terminating));
    }

    [Fact]
    public void An_alias_repeats_its_anchored_node()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, labels: &labels {app: web}, annotations: *labels}
            spec:
              ports: [{name: http, port: 80, targetPort: http}]
            """;

        var service = (V1Service)Assert.Single(ManifestParser.Parse("a.yaml", yaml, yamlThroughJson: true).Objects).Object;

        Assert.Equal("web", service.Metadata.Annotations["app"]);
        Assert.Equal("http", service.Spec.Ports[0].TargetPort.Value);
    }

    [Fact]
    public void A_field_of_the_wrong_shape_names_the_field()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports: [{name: http, port: eighty}]
            """;

        var error = Assert.Single(ManifestParser.Parse("w.yaml", yaml, yamlThroughJson: true).Diagnostics);

        Assert.Equal(DiagnosticCodes.InvalidObject, error.Code);
        Assert.Equal("spec.ports[0].port", error.Field);
        Assert.StartsWith("Service cannot be read: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_key_is_refused_with_its_reason()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, labels: {<<: {app: web}}}
            """;

        var error = Assert.Single(ManifestParser.Parse("m.yaml", yaml, yamlThroughJson: true).Diagnostics);

        Assert.Contains("merge keys (<<) are not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateway_api_kinds_read_through_their_generated_metadata()
    {
        const string yaml = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: shop}
            spec:
              parentRefs: [{name: edge, port: "8080"}]
              hostnames: [shop.example]
              rules:
                - backendRefs: [{name: web, port: 80, weight: 3}]
            """;

        var route = (HttpRoute)Assert.Single(ManifestParser.Parse("r.yaml", yaml, yamlThroughJson: true).Objects).Object;

        Assert.Equal(8080, route.Spec.ParentRefs![0].Port);
        Assert.Equal(["shop.example"], route.Spec.Hostnames!);
        Assert.Equal((80, 3), (route.Spec.Rules![0].BackendRefs![0].Port, route.Spec.Rules[0].BackendRefs![0].Weight));
    }

    private static List<string> Describe(ManifestParseResult result) =>
        [.. result.Objects.Select(o => $"{o.Origin.Document}:{o.Origin.Line} {KubernetesJson.Serialize(o.Object)}")];
}
