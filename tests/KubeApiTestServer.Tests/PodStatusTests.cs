using k8s;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Pods and their <c>/status</c> subresource, patched the way a readiness-gate controller patches them.</summary>
public sealed class PodStatusTests
{
    [Fact]
    public async Task A_strategic_merge_patch_on_status_merges_conditions_by_type_and_keeps_the_spec()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var pod = await client.CoreV1.CreateNamespacedPodAsync(GatedPod(), "prod", cancellationToken: TestTimeouts.Token());
        pod.Status = new V1PodStatus { PodIP = "10.0.0.7", Conditions = [new V1PodCondition { Type = "ContainersReady", Status = "True" }, new V1PodCondition { Type = "Ready", Status = "False" }] };
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "web-1", "prod", cancellationToken: TestTimeouts.Token());

        var patch = """{"status":{"conditions":[{"type":"onehop.dev/routed","status":"True","reason":"Routed"},{"type":"Ready","status":"True"}]}}""";
        var patched = await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "web-1", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal(
            ["ContainersReady=True", "Ready=True", "onehop.dev/routed=True"],
            patched.Status.Conditions.Select(c => $"{c.Type}={c.Status}"));
        Assert.Equal("onehop.dev/routed", Assert.Single(patched.Spec.ReadinessGates).ConditionType);
        Assert.Equal("10.0.0.7", patched.Status.PodIP);
    }

    [Fact]
    public async Task A_merge_patch_replaces_the_conditions_list_and_a_delete_directive_removes_one_entry()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var pod = await client.CoreV1.CreateNamespacedPodAsync(GatedPod(), "prod", cancellationToken: TestTimeouts.Token());
        pod.Status = new V1PodStatus { Conditions = [new V1PodCondition { Type = "ContainersReady", Status = "True" }, new V1PodCondition { Type = "onehop.dev/routed", Status = "True" }] };
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "web-1", "prod", cancellationToken: TestTimeouts.Token());

        var deleted = await client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"onehop.dev/routed","$patch":"delete"}]}}""", V1Patch.PatchType.StrategicMergePatch), "web-1", "prod", cancellationToken: TestTimeouts.Token());
        var replaced = await client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", V1Patch.PatchType.MergePatch), "web-1", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal(["ContainersReady"], deleted.Status.Conditions.Select(c => c.Type));
        Assert.Equal(["Ready"], replaced.Status.Conditions.Select(c => c.Type));
    }

    [Fact]
    public async Task Pods_are_listed_and_watched_like_every_namespaced_kind()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(GatedPod());

        var list = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: TestTimeouts.Token());

        Assert.Equal("web-1", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal("web-1", server.Get<V1Pod>("web-1", "prod")?.Metadata.Name);
    }

    private static V1Pod GatedPod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-1", NamespaceProperty = "prod" },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "web", Image = "nginx" }],
            ReadinessGates = [new V1PodReadinessGate { ConditionType = "onehop.dev/routed" }],
        },
    };
}
