using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Endpoints;

/// <summary>
/// The NodePort fallback (<c>onehop.dev/reach: nodeports</c>): one endpoint per node that holds ready pods, its
/// InternalIP and the Service's nodePort, weighted by its pod count; nodes without pods get nothing.
/// </summary>
public sealed class NodePortEndpointsTests
{
    private const string Nodes = """
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        status: {addresses: [{type: Hostname, address: node-a}, {type: InternalIP, address: 192.168.1.11}]}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-b}
        status: {addresses: [{type: InternalIP, address: 192.168.1.12}]}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-c}
        status: {addresses: [{type: InternalIP, address: 192.168.1.13}]}
        ---

        """;

    [Fact]
    public void Nodes_with_ready_pods_are_the_endpoints_weighted_by_their_pod_count_and_empty_nodes_get_none()
    {
        var result = Translate("nodeports", nodePort: 30080, ("10.244.0.5", "node-a", true), ("10.244.0.6", "node-a", true), ("10.244.1.7", "node-b", true));

        var backend = Backend(result);
        Assert.Equal(BackendReach.NodePorts, backend.Reach);
        Assert.Equal(
            ["192.168.1.11:30080 w2 node-a Ready", "192.168.1.12:30080 w1 node-b Ready"],
            backend.Endpoints.Select(e => $"{e.Id} w{e.Weight} {e.Node} {e.State}"));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidAnnotation || d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void A_node_whose_pods_all_left_or_stopped_being_ready_leaves_with_that_snapshot()
    {
        var result = Translate("nodeports", nodePort: 30080, ("10.244.0.5", "node-a", true), ("10.244.1.7", "node-b", false));

        Assert.Equal(["192.168.1.11:30080"], Backend(result).Endpoints.Select(e => e.Id));
    }

    [Fact]
    public void Without_the_annotation_or_with_pods_the_pod_ips_are_the_endpoints()
    {
        foreach (var reach in new string?[] { null, "pods" })
        {
            var backend = Backend(Translate(reach, nodePort: 30080, ("10.244.0.5", "node-a", true)));

            Assert.Equal((BackendReach.Pods, "10.244.0.5:8080"), (backend.Reach, Assert.Single(backend.Endpoints).Id));
        }
    }

    [Fact]
    public void A_service_without_a_node_port_gets_no_endpoints_and_an_error_naming_the_annotation()
    {
        var result = Translate("nodeports", nodePort: null, ("10.244.0.5", "node-a", true));

        Assert.Empty(Backend(result).Endpoints);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(("metadata.annotations[onehop.dev/reach]", "Service default/web"), (error.Field, error.Object?.ToString()));
    }

    [Fact]
    public void An_unknown_value_is_reported_and_the_pods_are_used()
    {
        var result = Translate("sideways", nodePort: 30080, ("10.244.0.5", "node-a", true));

        Assert.Equal(BackendReach.Pods, Backend(result).Reach);
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidAnnotation && d.Message.Contains("'sideways'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pod_on_an_unknown_node_is_left_out_with_a_warning()
    {
        var result = Translate("nodeports", nodePort: 30080, ("10.244.0.5", "node-a", true), ("10.244.9.9", "node-z", true));

        Assert.Equal(["192.168.1.11:30080"], Backend(result).Endpoints.Select(e => e.Id));
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("node node-z", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Local", 32000, 32000)]
    [InlineData("Cluster", 32000, null)]
    [InlineData("Local", null, null)]
    [InlineData("Local", 70000, null)]
    public void Node_endpoints_of_a_Local_policy_are_health_checked_on_the_health_check_node_port(string policy, int? healthCheckNodePort, int? expected)
    {
        // kube-proxy answers /healthz there with 200 only on nodes that hold a ready pod of the Service; with Cluster
        // every node forwards, so the nodePort itself is what is checked.
        var spec = $"  type: NodePort\n  externalTrafficPolicy: {policy}" + (healthCheckNodePort is { } port ? $"\n  healthCheckNodePort: {port}" : string.Empty);
        var yaml = Manifests.DefaultClass + Nodes + Manifests.Ingress("web", "web.example.com", "/", "web")
            + Manifests.ReachService("nodeports", 30080, [("10.244.0.5", "node-a", true)]).Replace("  type: NodePort", spec, StringComparison.Ordinal);

        var endpoint = Assert.Single(Backend(Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)))).Endpoints);

        Assert.Equal(("192.168.1.11:30080", expected), (endpoint.Id, endpoint.HealthPort));
    }

    private static Backend Backend(TranslationResult result) => result.Snapshot.Backends.Single(b => b.Id == "default/web:80");

    private static TranslationResult Translate(string? reach, int? nodePort, params (string Address, string Node, bool Ready)[] pods)
    {
        var yaml = Manifests.DefaultClass + Nodes + Manifests.Ingress("web", "web.example.com", "/", "web")
            + Manifests.ReachService(reach, nodePort, pods);
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }
}
