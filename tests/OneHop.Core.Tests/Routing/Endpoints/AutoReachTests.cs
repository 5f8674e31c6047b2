using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Endpoints;

/// <summary>
/// <c>onehop.dev/reach: auto</c> (or <c>defaults.reach: auto</c>): the translator decides per Service from the per-node
/// probe results it is given, and names the pod to probe on each node; it never probes itself.
/// </summary>
public sealed class AutoReachTests
{
    private const string Nodes = """
        apiVersion: v1
        kind: Node
        metadata: {name: node-a}
        status: {addresses: [{type: InternalIP, address: 192.168.1.11}]}
        ---
        apiVersion: v1
        kind: Node
        metadata: {name: node-b}
        status: {addresses: [{type: InternalIP, address: 192.168.1.12}]}
        ---

        """;

    private static readonly (string, string)[] TwoNodes = [("10.244.0.6", "node-a"), ("10.244.0.5", "node-a"), ("10.244.1.7", "node-b")];

    [Fact]
    public void Nodes_not_probed_yet_mean_node_ports_and_each_node_is_named_with_its_lowest_ready_pod_to_probe()
    {
        var result = Translate("auto", 30080, PodReachability.Empty, TwoNodes);

        var backend = Backend(result);
        Assert.Equal(BackendReach.NodePorts, backend.Reach);
        Assert.Equal("auto: node ports until pods on node-a, node-b answer a probe", backend.ReachReason);
        Assert.Equal(["192.168.1.11:30080", "192.168.1.12:30080"], backend.Endpoints.Select(e => e.Id));
        Assert.Equal([new ReachProbeTarget("node-a", "10.244.0.5", 8080), new ReachProbeTarget("node-b", "10.244.1.7", 8080)], result.ReachTargets);
    }

    [Fact]
    public void Every_node_answering_means_pod_ips()
    {
        var backend = Backend(Translate("auto", 30080, Reach(("node-a", true), ("node-b", true)), TwoNodes));

        Assert.Equal(BackendReach.Pods, backend.Reach);
        Assert.Equal("auto: pod IPs, pods on node-a, node-b answer", backend.ReachReason);
        Assert.Equal(["10.244.0.5:8080", "10.244.0.6:8080", "10.244.1.7:8080"], backend.Endpoints.Select(e => e.Id));
    }

    [Fact]
    public void One_unreachable_node_moves_the_service_to_node_ports_and_says_which()
    {
        var backend = Backend(Translate("auto", 30080, Reach(("node-a", true), ("node-b", false)), TwoNodes));

        Assert.Equal(BackendReach.NodePorts, backend.Reach);
        Assert.Equal("auto: node ports, pods on node-b are unreachable (probe detail)", backend.ReachReason);
        Assert.Equal(["192.168.1.11:30080 w2", "192.168.1.12:30080 w1"], backend.Endpoints.Select(e => $"{e.Id} w{e.Weight}"));
    }

    [Fact]
    public void A_port_without_a_node_port_stays_on_pod_ips_whatever_the_probes_say()
    {
        var result = Translate("auto", null, Reach(("node-a", false)), [("10.244.0.5", "node-a")]);

        var backend = Backend(result);
        Assert.Equal((BackendReach.Pods, "auto: pod IPs (the port has no nodePort to fall back to)"), (backend.Reach, backend.ReachReason));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Core.Diagnostics.DiagnosticSeverity.Error);
    }

    [Fact]
    public void The_default_applies_to_services_without_the_annotation_and_the_annotation_wins()
    {
        var unreachable = Reach(("node-a", false));

        var byDefault = Backend(Translate(null, 30080, unreachable, [("10.244.0.5", "node-a")], ReachMode.Auto));
        var annotated = Backend(Translate("pods", 30080, unreachable, [("10.244.0.5", "node-a")], ReachMode.Auto));
        var nodePortsByDefault = Backend(Translate(null, 30080, unreachable, [("10.244.0.5", "node-a")], ReachMode.NodePorts));

        Assert.Equal(BackendReach.NodePorts, byDefault.Reach);
        Assert.Equal((BackendReach.Pods, null), (annotated.Reach, annotated.ReachReason));
        Assert.Equal((BackendReach.NodePorts, null), (nodePortsByDefault.Reach, nodePortsByDefault.ReachReason));
    }

    [Fact]
    public void Services_not_in_auto_mode_name_no_pod_to_probe() =>
        Assert.Empty(Translate("nodeports", 30080, PodReachability.Empty, TwoNodes).ReachTargets);

    private static PodReachability Reach(params (string Node, bool Reachable)[] nodes) =>
        new(nodes.ToImmutableSortedDictionary(n => n.Node, n => new NodeReach(n.Reachable, "probe detail"), StringComparer.Ordinal));

    private static Backend Backend(TranslationResult result) => result.Snapshot.Backends.Single(b => b.Id == "default/web:80");

    private static TranslationResult Translate(string? reach, int? nodePort, PodReachability reachability, (string Address, string Node)[] pods, ReachMode defaultReach = ReachMode.Pods)
    {
        var yaml = Manifests.DefaultClass + Nodes + Manifests.Ingress("web", "web.example.com", "/", "web")
            + Manifests.ReachService(reach, nodePort, pods.Select(p => (p.Address, p.Node, true)));
        var config = OneHopConfig.Default with { Defaults = OneHopConfig.Default.Defaults with { Reach = defaultReach } };
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml), config) with { Reachability = reachability });
    }
}
