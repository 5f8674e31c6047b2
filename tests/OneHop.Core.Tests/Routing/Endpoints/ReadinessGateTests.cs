using OneHop.Core.Routing;
using OneHop.Core.State;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Endpoints;

/// <summary>
/// A pod that waits for <c>onehop.dev/routed</c> is routed as soon as its containers are ready, although its slice says
/// not ready: that is what lets every replica apply it before the gate opens.
/// </summary>
public sealed class ReadinessGateTests
{
    [Theory]
    [InlineData("gated", "True", false, "false", "10.0.0.2")]
    [InlineData("gated", "False", false, "false", "")]
    [InlineData("gated", "True", true, "false", "")]
    [InlineData("gated", "True", false, "true", "")]
    [InlineData("plain", "True", false, "false", "")]
    public void A_not_ready_entry_is_routed_only_for_a_gated_pod_with_ready_containers_that_is_not_going_away(
        string gate, string containersReady, bool deleting, string terminating, string routed)
    {
        var state = State(Pod("web-2", gate == "gated", containersReady, deleting), terminating);

        var endpoints = Backend(Translator.Translate(TranslatorInput.Of(state)));

        Assert.Equal(routed.Length == 0 ? ["10.0.0.1"] : ["10.0.0.1", routed], endpoints.Select(e => e.Address));
        Assert.All(endpoints, e => Assert.Equal(EndpointState.Ready, e.State));
    }

    [Fact]
    public void The_translation_cache_never_keeps_a_gated_entry_from_before_the_pod_changed()
    {
        var cache = new TranslationCache();
        var waiting = State(Pod("web-2", gated: true, containersReady: "False", deleting: false), "false");
        var ready = State(Pod("web-2", gated: true, containersReady: "True", deleting: false), "false");
        var withReady = waiting with { Pods = ready.Pods };

        var first = Translator.Translate(TranslatorInput.Of(waiting) with { Cache = cache });
        var second = Translator.Translate(TranslatorInput.Of(withReady) with { Cache = cache });
        var third = Translator.Translate(TranslatorInput.Of(waiting) with { Cache = cache });

        Assert.Equal(["10.0.0.1"], Backend(first).Select(e => e.Address));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], Backend(second).Select(e => e.Address));
        Assert.Equal(["10.0.0.1"], Backend(third).Select(e => e.Address));
    }

    private static System.Collections.Immutable.ImmutableArray<BackendEndpoint> Backend(TranslationResult result) =>
        result.Snapshot.Backends.Single(b => b.Id == "default/web:80").Endpoints;

    private static ClusterState State(string pod, string terminating) => Manifests.State(
        Manifests.DefaultClass + Manifests.Ingress("web", "web.example.com", "/", "web") + $$"""
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports: [{port: 80, targetPort: 8080}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: web-1
          labels:
            kubernetes.io/service-name: web
        addressType: IPv4
        ports: [{name: "", port: 8080}]
        endpoints:
          - addresses: ["10.0.0.1"]
            targetRef: {kind: Pod, name: web-1, namespace: default}
          - addresses: ["10.0.0.2"]
            conditions: {ready: false, serving: false, terminating: {{terminating}}}
            targetRef: {kind: Pod, name: web-2, namespace: default}
        ---
        {{pod}}
        """);

    private static string Pod(string name, bool gated, string containersReady, bool deleting) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
          namespace: default
        {{(deleting ? "  deletionTimestamp: \"2026-01-01T00:00:00Z\"" : string.Empty)}}
        spec:
          containers: [{name: web, image: web}]
          readinessGates: [{conditionType: {{(gated ? "onehop.dev/routed" : "example.com/other")}}}]
        status:
          podIP: 10.0.0.2
          conditions:
            - {type: ContainersReady, status: "{{containersReady}}"}
            - {type: Ready, status: "False"}
        ---

        """;
}
