using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control.Readiness;
using OneHop.Core.Demo;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.KubeObjects;

namespace OneHop.IntegrationTests.Sources.Kubernetes;

/// <summary>
/// <c>onehop run --kubeconfig</c> as a process of its own against the API test server, as an operator runs it: the JIT
/// build beside the tests, or with <c>ONEHOP_EXE</c> the Native AOT executable (bench/aot-check.sh), so that the
/// API's lists and watches, the status writes, the Lease, the readiness gate's pod patches and the Events are proven
/// in the build that has no reflection to fall back on.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class KubeconfigProcessTests(PodNamespaceFixture fixture) : IClassFixture<PodNamespaceFixture>, IDisposable
{
    private const string Host = "shop.example.com";
    private const string Address = "203.0.113.10";
    private const string Identity = "onehop-process";
    private readonly string _dir = Directory.CreateTempSubdirectory("onehop-kubeconfig-").FullName;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_ingress_reaches_its_pods_gets_its_status_and_follows_the_endpoint_slice()
    {
        var pods = await fixture.GetAsync(Cancel);
        await using var api = await StartApiAsync(pods, ["web-0"]);
        await using var onehop = await StartAsync(api);

        Assert.Equal(["web-0"], await ServedAsync(onehop));
        await EventuallyAsync(onehop, () => StatusOf(api, "site") == Address, "the Ingress status to carry the published address");
        await EventuallyAsync(onehop, () => api.Get<V1Lease>("onehop-onehop-leader", "default")?.Spec.HolderIdentity == Identity, "the leader Lease to name this replica");

        api.Upsert(Slice("web", pods, ["web-1", "web-2"]));
        await EventuallyAsync(onehop, async () => (await ServedAsync(onehop)).SequenceEqual(["web-1", "web-2"]), "web-1 and web-2 to serve instead of web-0");
        Assert.Equal(Address, StatusOf(api, "site"));

        // No kind failed to list or watch on the way (KubernetesSource's 40x warnings): the build lacked nothing.
        Assert.Empty(onehop.Lines("KubernetesSource[40"));
    }

    [Fact]
    public async Task The_readiness_gate_is_opened_by_a_pod_status_patch_with_an_event_for_a_pod_no_service_routes_to()
    {
        var pods = await fixture.GetAsync(Cancel);
        await using var api = await StartApiAsync(pods, ["web-0"]);
        await using var onehop = await StartAsync(api, "--readiness-gate", "1s");
        Assert.Equal(["web-0"], await ServedAsync(onehop));
        var pod = api.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "batch-1", NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "batch", Image = "batch:1" }],
                ReadinessGates = [new V1PodReadinessGate { ConditionType = ReadinessGate.ConditionType }],
            },
        });
        pod.Status = new V1PodStatus
        {
            PodIP = "10.1.0.9",
            PodIPs = [new V1PodIP { Ip = "10.1.0.9" }],
            Phase = "Running",
            Conditions = [new() { Type = "ContainersReady", Status = "True", LastTransitionTime = DateTime.UtcNow }, new() { Type = "Ready", Status = "False" }],
        };
        api.ReplaceStatus(pod);

        await EventuallyAsync(onehop, () => Gate(api, "batch-1")?.Status == "True", "the gate of batch-1 to open after 1 s");
        Assert.Equal(ReadinessGateController.NotServedReason, Gate(api, "batch-1")!.Reason);
        await EventuallyAsync(onehop, () => api.List<Eventsv1Event>("default").Any(e => e.Regarding?.Name == "batch-1" && e.Type == "Warning"), "the warning Event on batch-1");
    }

    [Fact]
    public async Task Gateway_api_objects_are_listed_watched_and_get_their_status_written()
    {
        var pods = await fixture.GetAsync(Cancel);
        await using var api = await StartApiAsync(pods, ["web-0"]);
        api.Create(GatewayObjects.Class("onehop"));
        api.Create(GatewayObjects.Gateway("edge"));
        await using var onehop = await StartAsync(api);

        api.Create(GatewayObjects.Route("gw", "gw.example.com", "web"));
        await EventuallyAsync(onehop, () => api.Get<HttpRoute>("gw")?.Status?.Parents is [{ ControllerName: GatewayApiNames.ControllerName } parent] && (parent.Conditions ?? []).Any(c => c.Type == "Accepted" && c.Status == "True"), "the watched HTTPRoute to be accepted in its status");
        var gateway = api.Get<Gateway>("edge")!;
        Assert.Equal(Address, Assert.Single(gateway.Status!.Addresses!).Value);
        Assert.Contains(gateway.Status.Conditions!, c => c.Type == "Programmed" && c.Status == "True");
        Assert.Contains(api.Get<GatewayClass>("onehop")!.Status!.Conditions!, c => c.Type == "Accepted" && c.Status == "True");
    }

    private static async Task<KubeApiServer> StartApiAsync(PodNamespace pods, string[] ready)
    {
        var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.BookmarkInterval = TimeSpan.FromSeconds(1);
        CreateSite(api, pods, ready, Host);
        return api;
    }

    private async Task<OneHopProcess> StartAsync(KubeApiServer api, params string[] extra)
    {
        var kubeconfig = api.WriteKubeConfig(Path.Combine(_dir, "kubeconfig.yaml"));
        var process = await OneHopProcess.StartAsync(["--kubeconfig", kubeconfig, "--publish-address", Address, .. extra], Cancel, new Dictionary<string, string> { ["POD_NAME"] = Identity });
        return process;
    }

    private static async Task<string[]> ServedAsync(OneHopProcess onehop)
    {
        using var client = new HttpClient { BaseAddress = onehop.Proxy, Timeout = TimeSpan.FromSeconds(10) };
        var served = new HashSet<string>();
        for (var i = 0; i < 24; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Host = Host;
            using var response = await client.SendAsync(request, Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}\n{onehop.Output}");
            served.Add(response.Headers.GetValues(DemoPod.PodHeader).Single());
        }

        return [.. served.Order(StringComparer.Ordinal)];
    }

    private static Task EventuallyAsync(OneHopProcess onehop, Func<bool> condition, string what) =>
        EventuallyAsync(onehop, () => Task.FromResult(condition()), what);

    private static async Task EventuallyAsync(OneHopProcess onehop, Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after 15 s waiting for: {what}\nonehop's output:\n{onehop.Output}");
            await Task.Delay(50, Cancel);
        }
    }

    private static string? StatusOf(KubeApiServer api, string ingress) =>
        api.Get<V1Ingress>(ingress, "default")?.Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.Ip;

    private static V1PodCondition? Gate(KubeApiServer api, string pod) =>
        api.Get<V1Pod>(pod, "default") is { } found ? ReadinessGate.Condition(found, ReadinessGate.ConditionType) : null;
}
