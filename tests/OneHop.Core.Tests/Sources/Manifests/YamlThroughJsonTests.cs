using k8s;
using k8s.Models;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State.GatewayApi;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Sources.Manifests;

/// <summary>
/// OneHop reads YAML objects through their JSON form (ManifestParser with yamlThroughJson, the default), since
/// KubernetesYaml cannot start under Native AOT and costs the JIT build ~20 MiB. These hold that path to KubernetesYaml's results.
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
        Assert.Equal(5, error.Origin?.Line);
        Assert.StartsWith("Service cannot be read: the value 'eighty' could not be converted", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metadata:\n  name: web\n  labels:\n    'app.kubernetes.io/name': [web]\n", 4, "metadata.labels['app.kubernetes.io/name']")]
    [InlineData("metadata: {name: web}\nspec:\n  ports:\n    - port: 80\n      targetPort: {a: b}\n", 5, "spec.ports[0].targetPort")]
    [InlineData("metadata: {name: web}\nspec:\n  type: ClusterIP\n  ports: eighty\n", 4, "spec.ports")]
    public void A_wrong_value_is_reported_at_its_own_line(string body, int line, string field)
    {
        var yaml = "apiVersion: v1\nkind: Service\n" + body;

        var error = Assert.Single(ManifestParser.Parse("w.yaml", yaml).Diagnostics);

        Assert.Equal(DiagnosticCodes.InvalidObject, error.Code);
        Assert.Equal((line + 2, field), (error.Origin?.Line, error.Field));
    }

    [Fact]
    public void A_merge_key_brings_in_the_pairs_of_its_mappings()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              labels: &common {app: web, tier: front}
              annotations: {<<: *common, owner: shop}
            spec:
              ports:
                - &http {name: http, port: 80, targetPort: http}
                - &tcp {protocol: TCP}
                - {<<: [*http, *tcp], name: alt, port: 8080}
            """;

        var both = new[] { false, true }.Select(json => ReadOne<V1Service>(yaml, json)).ToArray();

        Assert.Equal(KubernetesJson.Serialize(both[0]), KubernetesJson.Serialize(both[1]));
        var service = both[1];
        Assert.Equal(["app=web", "owner=shop", "tier=front"], service.Metadata.Annotations.Select(a => $"{a.Key}={a.Value}").Order());
        Assert.Equal(("alt", 8080, "http", "TCP"), (service.Spec.Ports[2].Name, service.Spec.Ports[2].Port, service.Spec.Ports[2].TargetPort.Value, service.Spec.Ports[2].Protocol));
    }

    [Fact]
    public void A_mappings_own_keys_win_over_merged_ones_and_an_earlier_merged_mapping_over_a_later_one()
    {
        // YAML's merge rule, wherever the << stands; nested merges follow it too. (KubernetesYaml's MergingParser
        // takes only aliases in a merge sequence, not the inline mapping.)
        const string yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: merged}
            x-base: &base {a: base, b: base, c: base}
            x-over: &over {<<: *base, b: over}
            x-late: &late {a: late, d: late}
            data: {<<: [*over, *late, {e: inline}], a: own}
            """;

        var map = ReadOne<V1ConfigMap>(yaml, yamlThroughJson: true);

        Assert.Equal(["a=own", "b=over", "c=base", "d=late", "e=inline"], map.Data.Select(d => $"{d.Key}={d.Value}").Order());
    }

    [Theory]
    [InlineData("{<<: just-text}", 5)]
    [InlineData("{<<: [*labels, [x]]}", 5)]
    [InlineData("{<<: *nowhere}", 5)]
    public void A_merge_key_on_something_else_than_mappings_is_refused_with_its_line(string annotations, int line)
    {
        var yaml = $"""
            apiVersion: v1
            kind: Service
            metadata:
              labels: &labels {"{app: web}"}
              annotations: {annotations}
              name: web
            """;

        var error = Assert.Single(ManifestParser.Parse("m.yaml", yaml, yamlThroughJson: true).Diagnostics);

        Assert.Equal(DiagnosticCodes.InvalidObject, error.Code);
        Assert.Equal(line, error.Origin?.Line);
        Assert.StartsWith("metadata.annotations", error.Field, StringComparison.Ordinal);
        Assert.Matches("merge key|names no anchor", error.Message);
    }

    [Fact]
    public void An_anchor_inside_a_repeated_node_still_names_its_own_node()
    {
        const string yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: anchors
              labels: &outer {inner: &inner first}
              annotations: *outer
            data:
              inner: *inner
            """;

        var both = new[] { false, true }.Select(json => ReadOne<V1ConfigMap>(yaml, json)).ToArray();

        Assert.Equal(KubernetesJson.Serialize(both[0]), KubernetesJson.Serialize(both[1]));
        Assert.Equal(("first", "first"), (both[1].Data["inner"], both[1].Metadata.Annotations["inner"]));
    }

    [Fact]
    public void An_alias_names_the_latest_anchor_complete_before_it()
    {
        // YAML lets an anchor be defined again (KubernetesYaml's MergingParser misreads this one).
        const string yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: anchors
              labels:
                a: &x first
                b: *x
              annotations:
                a: &x second
                b: *x
            """;

        var map = ReadOne<V1ConfigMap>(yaml, yamlThroughJson: true);

        Assert.Equal(("first", "second"), (map.Metadata.Labels["b"], map.Metadata.Annotations["b"]));
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

    private static T ReadOne<T>(string yaml, bool yamlThroughJson)
    {
        var result = ManifestParser.Parse("one.yaml", yaml, yamlThroughJson);
        if (result.Diagnostics.Length > 0)
        {
            Assert.Fail(string.Join("; ", result.Diagnostics.Select(d => $"line {d.Origin?.Line}, {d.Field}: {d.Message}")));
        }

        return (T)Assert.Single(result.Objects).Object;
    }
}
