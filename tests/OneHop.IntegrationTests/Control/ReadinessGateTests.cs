using k8s;
using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.Core.Control.Readiness;
using OneHop.Core.Routing.Endpoints;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.KubeObjects;

namespace OneHop.IntegrationTests.Control;

/// <summary>
/// The readiness gate <c>onehop.dev/routed</c> with three OneHop replicas on the API test server. The test plays the
/// kubelet (a pod is Ready when its containers are ready and its gates are True) and the EndpointSlice controller
/// (a slice lists every pod, ready as the pod is), and rolls a Deployment the way maxUnavailable 0 does: the old pod
/// goes only once the new one is Ready.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class ReadinessGateTests
{
    /// <summary>
    /// The routed Leases' duration: renewed every third of it, checked every second, so a frozen replica still counts
    /// for at least 8 − 8/3 − 1 ≈ 4.3 s.
    /// </summary>
    private static readonly TimeSpan RoutedLeaseDuration = TimeSpan.FromSeconds(8);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task During_a_rolling_update_no_pod_is_ready_before_every_live_replica_routes_to_it_and_a_dead_replica_stops_blocking_after_its_lease_expires()
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(DefaultClass());
        api.Create(Service("web"));
        api.Create(Ingress("web", "web.example.com", "web"));
        using var kube = api.CreateClient();
        var cluster = new FakeCluster(api, kube);
        await cluster.AddPodAsync("web-1", "10.1.0.1", gateOpen: true);

        var lagging = new PausableHandler();
        await using var a = await StartReplicaAsync(api, "a");
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(a.Server.Election?.IsLeader == true), TimeSpan.FromSeconds(10), "replica a to lead", Cancel);
        await using var b = await StartReplicaAsync(api, "b");
        await using var c = await StartReplicaAsync(api, "c", lagging);
        OneHopInstance[] replicas = [a, b, c];
        using var stopKubelet = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var kubelet = cluster.RunKubeletAsync(stopKubelet.Token);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(replicas.All(r => Routes(r, "10.1.0.1"))), TimeSpan.FromSeconds(10), "every replica to route web-1", Cancel);
        // A replica counts once its routed Lease exists: wait for all three before c starts lagging, or c would simply be unknown.
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(RoutedLeases(api).Count(l => RoutedLease.Parse(l).Contains("10.1.0.1")) == 3), TimeSpan.FromSeconds(10), "every replica to publish that it routes web-1", Cancel);

        // Rollout step 1, while replica c lags: web-2's containers are ready and a and b route to it, c does not.
        lagging.Pause();
        var lagged = DateTime.UtcNow;
        await cluster.AddPodAsync("web-2", "10.1.0.2");
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(Routes(a, "10.1.0.2") && Routes(b, "10.1.0.2")), TimeSpan.FromSeconds(10), "a and b to route web-2 (gated, containers ready)", Cancel);
        Assert.True(DateTime.UtcNow - lagged < TimeSpan.FromSeconds(2.5), "a and b took too long to route web-2 for the test to mean anything");
        while (DateTime.UtcNow - lagged < TimeSpan.FromSeconds(3.5))
        {
            // c renews nothing while paused, but its Lease stays live for at least 4.3 s: the gate must stay closed meanwhile.
            Assert.Null(Gate(api, "web-2"));
            Assert.False(Ready(api, "web-2"));
            await Task.Delay(100, Cancel);
        }

        lagging.Resume();
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(Gate(api, "web-2")?.Status == "True"), TimeSpan.FromSeconds(15), "the gate of web-2 to open once c routes to it", Cancel);
        Assert.All(replicas, r => Assert.True(Routes(r, "10.1.0.2"), "every replica routes web-2 when its gate opens"));
        Assert.Equal(ReadinessGateController.RoutedReason, Gate(api, "web-2")!.Reason);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(Ready(api, "web-2")), TimeSpan.FromSeconds(5), "web-2 to be Ready", Cancel);
        await cluster.DeletePodAsync("web-1");

        // Rollout step 2 with c dead (frozen: it renews nothing): web-3 waits only until c's routed Lease expires.
        lagging.Pause();
        var paused = DateTime.UtcNow;
        await cluster.AddPodAsync("web-3", "10.1.0.3");
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(Gate(api, "web-3")?.Status == "True"), RoutedLeaseDuration + TimeSpan.FromSeconds(10), "the gate of web-3 to open after c's Lease expired", Cancel);
        var waited = DateTime.UtcNow - paused;
        Assert.False(Routes(c, "10.1.0.3"), "c, frozen, never routed web-3");
        Assert.True(Routes(a, "10.1.0.3") && Routes(b, "10.1.0.3"));
        Assert.True(waited >= TimeSpan.FromSeconds(4), $"the gate opened after {waited.TotalSeconds:0.0} s, before c's Lease could expire");
        var leases = RoutedLeases(api);
        Assert.Equal(["onehop-leader-routed-a", "onehop-leader-routed-b", "onehop-leader-routed-c"], leases.Select(l => l.Metadata.Name).Order());
        Assert.Contains("10.1.0.3", RoutedLease.Parse(leases.Single(l => l.Metadata.Name.EndsWith("-a", StringComparison.Ordinal))));

        // The pod's containers stop being ready: the gate closes, so it has to pass again before it comes back.
        await cluster.SetContainersReadyAsync("web-2", false);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(Gate(api, "web-2")?.Status == "False"), TimeSpan.FromSeconds(10), "the gate of web-2 to close", Cancel);
        Assert.Equal(ReadinessGateController.NotReadyReason, Gate(api, "web-2")!.Reason);
        lagging.Resume();
        await stopKubelet.CancelAsync();
        await kubelet;
    }

    [Fact]
    public async Task A_gated_pod_no_onehop_service_routes_to_gets_the_gate_opened_after_the_timeout_with_a_warning_event()
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(DefaultClass());
        using var kube = api.CreateClient();
        var cluster = new FakeCluster(api, kube);
        await using var onehop = await StartReplicaAsync(api, "only", timeout: TimeSpan.FromSeconds(2));
        var started = DateTime.UtcNow;
        await cluster.AddPodAsync("batch-1", "10.1.0.9", inSlice: false);

        await OneHopInstance.EventuallyAsync(() => Task.FromResult(Gate(api, "batch-1")?.Status == "True"), TimeSpan.FromSeconds(15), "the gate to open after the timeout", Cancel);

        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.5), "opened before the 2 s timeout");
        Assert.Equal(ReadinessGateController.NotServedReason, Gate(api, "batch-1")!.Reason);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(api.List<Eventsv1Event>("default").Any(e => e.Regarding?.Name == "batch-1")), TimeSpan.FromSeconds(5), "the warning Event", Cancel);
        var warning = Assert.Single(api.List<Eventsv1Event>("default"), e => e.Regarding?.Name == "batch-1");
        Assert.Equal(("Warning", ReadinessGateController.NotServedReason), (warning.Type, warning.Reason));
    }

    private static Task<OneHopInstance> StartReplicaAsync(KubeApiServer api, string identity, PausableHandler? handler = null, TimeSpan? timeout = null)
    {
        var client = handler is null ? api.CreateClient() : new Kubernetes(api.CreateClientConfiguration(), handler);
        var publishing = new StatusPublishingOptions([], null, "default", "onehop-leader", identity)
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        return OneHopInstance.StartAsync(client, Cancel, publishing: publishing, configure: o => o with
        {
            Events = false,
            ReadinessGate = new ReadinessGateOptions("default", "onehop-leader", identity)
            {
                LeaseDuration = RoutedLeaseDuration,
                NotServedTimeout = timeout ?? TimeSpan.FromMinutes(5),
                Interval = TimeSpan.FromMilliseconds(200),
            },
        });
    }

    private static bool Routes(OneHopInstance replica, string address) =>
        replica.Server.Coordinator.Status.Snapshot.Backends.Any(b => b.Endpoints.Any(e => e.Address == address));

    private static V1PodCondition? Gate(KubeApiServer api, string pod) =>
        api.Get<V1Pod>(pod, "default") is { } found ? ReadinessGate.Condition(found, ReadinessGate.ConditionType) : null;

    private static List<V1Lease> RoutedLeases(KubeApiServer api) =>
        [.. api.List<V1Lease>("default").Where(l => l.Metadata.Labels?.ContainsKey(RoutedLease.GroupLabel) == true)];

    private static bool Ready(KubeApiServer api, string pod) =>
        api.Get<V1Pod>(pod, "default") is { } found && ReadinessGate.Condition(found, "Ready")?.Status == "True";

    /// <summary>The kubelet and the EndpointSlice controller, as far as the gate needs them.</summary>
    private sealed class FakeCluster(KubeApiServer api, IKubernetes kube)
    {
        private readonly HashSet<string> _outsideSlice = [];
        private readonly SemaphoreSlim _syncing = new(1, 1);

        public async Task AddPodAsync(string name, string ip, bool gateOpen = false, bool inSlice = true)
        {
            if (!inSlice)
            {
                _outsideSlice.Add(name);
            }

            var pod = api.Create(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "web", Image = "web:2" }],
                    ReadinessGates = [new V1PodReadinessGate { ConditionType = ReadinessGate.ConditionType }],
                },
            });
            List<V1PodCondition> conditions = [new() { Type = "ContainersReady", Status = "True", LastTransitionTime = DateTime.UtcNow }, new() { Type = "Ready", Status = gateOpen ? "True" : "False" }];
            if (gateOpen)
            {
                conditions.Add(new V1PodCondition { Type = ReadinessGate.ConditionType, Status = "True" });
            }

            pod.Status = new V1PodStatus { PodIP = ip, PodIPs = [new V1PodIP { Ip = ip }], Phase = "Running", Conditions = conditions };
            api.ReplaceStatus(pod);
            await SyncAsync(CancellationToken.None);
        }

        public async Task DeletePodAsync(string name)
        {
            api.Delete<V1Pod>(name, "default");
            await SyncAsync(CancellationToken.None);
        }

        public async Task SetContainersReadyAsync(string name, bool ready)
        {
            await PatchConditionAsync(name, "ContainersReady", ready, CancellationToken.None);
            await SyncAsync(CancellationToken.None);
        }

        /// <summary>Recomputes Ready (containers ready and every gate True) and the slice, every 50 ms, until cancelled.</summary>
        public async Task RunKubeletAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    await SyncAsync(cancellationToken);
                    await Task.Delay(50, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task SyncAsync(CancellationToken cancellationToken)
        {
            // One sync at a time: the kubelet loop and the test's own steps both call in.
            await _syncing.WaitAsync(cancellationToken);
            try
            {
                await SyncOnceAsync(cancellationToken);
            }
            finally
            {
                _syncing.Release();
            }
        }

        private async Task SyncOnceAsync(CancellationToken cancellationToken)
        {
            foreach (var pod in api.List<V1Pod>("default"))
            {
                var ready = ReadinessGate.Condition(pod, "ContainersReady")?.Status == "True"
                    && pod.Spec.ReadinessGates.All(g => ReadinessGate.Condition(pod, g.ConditionType)?.Status == "True");
                if ((ReadinessGate.Condition(pod, "Ready")?.Status == "True") != ready)
                {
                    await PatchConditionAsync(pod.Metadata.Name, "Ready", ready, cancellationToken);
                }
            }

            WriteSlice();
        }

        private async Task PatchConditionAsync(string pod, string type, bool status, CancellationToken cancellationToken)
        {
            var condition = new { type, status = status ? "True" : "False", lastTransitionTime = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) };
            var patch = System.Text.Json.JsonSerializer.Serialize(new { status = new { conditions = new[] { condition } } });
            try
            {
                await kube.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod, "default", cancellationToken: cancellationToken);
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                // Deleted meanwhile.
            }
        }

        private void WriteSlice()
        {
            var endpoints = api.List<V1Pod>("default")
                .Where(p => !_outsideSlice.Contains(p.Metadata.Name) && p.Status?.PodIP is not null)
                .Select(p =>
                {
                    var ready = ReadinessGate.Condition(p, "Ready")?.Status == "True";
                    return new V1Endpoint
                    {
                        Addresses = [p.Status.PodIP],
                        Conditions = new V1EndpointConditions { Ready = ready, Serving = ready, Terminating = false },
                        TargetRef = new V1ObjectReference { Kind = "Pod", Name = p.Metadata.Name, NamespaceProperty = "default" },
                    };
                })
                .ToList();
            var slice = new V1EndpointSlice
            {
                Metadata = new V1ObjectMeta { Name = "web-slice", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "web" } },
                AddressType = "IPv4",
                Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
                Endpoints = endpoints,
            };
            var current = api.Get<V1EndpointSlice>("web-slice", "default");
            if (current is null || !SameEndpoints(current, slice))
            {
                api.Upsert(slice);
            }
        }

        private static bool SameEndpoints(V1EndpointSlice a, V1EndpointSlice b) =>
            (a.Endpoints ?? []).Select(Text).SequenceEqual((b.Endpoints ?? []).Select(Text));

        private static string Text(V1Endpoint e) => $"{e.Addresses[0]} {e.Conditions?.Ready} {e.TargetRef?.Name}";
    }
}
