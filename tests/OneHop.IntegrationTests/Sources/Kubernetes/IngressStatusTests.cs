using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.KubeObjects;

namespace OneHop.IntegrationTests.Sources.Kubernetes;

/// <summary>Several OneHop replicas against one API server: one elected writer of Ingress status, no flapping.</summary>
[Collection(nameof(TimingSensitive))]
public sealed class IngressStatusTests
{
    private const string Address = "203.0.113.10";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_replicas_elect_one_writer_and_the_status_is_written_once()
    {
        await using var api = await StartApiAsync();
        var replicas = new List<OneHopInstance>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                replicas.Add(await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Publishing($"replica-{i}")));
            }

            await OneHopInstance.EventuallyAsync(() => Task.FromResult(StatusOf(api, "site") == Address), TimeSpan.FromSeconds(10), "the status to be written", Cancel);
            Assert.Equal(1, replicas.Count(r => r.Server.Election!.IsLeader));

            // Contention without change: nobody writes again.
            await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
            Assert.Equal(1, replicas.Count(r => r.Server.Election!.IsLeader));
            Assert.Equal(1, StatusWrites(api));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task When_the_leader_stops_another_replica_takes_over_within_the_lease_duration()
    {
        await using var api = await StartApiAsync();
        var first = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Publishing("replica-a"));
        await using var second = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Publishing("replica-b"));
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(first.Server.Election!.IsLeader || second.Server.Election!.IsLeader), TimeSpan.FromSeconds(10), "a leader", Cancel);
        var (leader, follower) = first.Server.Election!.IsLeader ? (first, second) : (second, first);

        var stopped = DateTime.UtcNow;
        await leader.DisposeAsync();
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(follower.Server.Election!.IsLeader), TimeSpan.FromSeconds(5), "the follower to lead", Cancel);
        Assert.True(DateTime.UtcNow - stopped < TimeSpan.FromSeconds(3), "handover took longer than the lease duration");
        if (ReferenceEquals(leader, second))
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_lease_held_by_a_replica_that_died_is_taken_over_once_it_expires()
    {
        await using var api = await StartApiAsync();
        api.Create(new V1Lease
        {
            ApiVersion = "coordination.k8s.io/v1",
            Kind = "Lease",
            Metadata = new V1ObjectMeta { Name = "onehop-onehop-leader", NamespaceProperty = "default" },
            Spec = new V1LeaseSpec { HolderIdentity = "crashed-replica", LeaseDurationSeconds = 3, AcquireTime = DateTime.UtcNow, RenewTime = DateTime.UtcNow },
        });

        await using var replica = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Publishing("survivor"));
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
        Assert.False(replica.Server.Election!.IsLeader);
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(replica.Server.Election!.IsLeader), TimeSpan.FromSeconds(8), "takeover after expiry", Cancel);
        Assert.Equal("survivor", api.Get<V1Lease>("onehop-onehop-leader")!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Other_classes_are_never_touched_and_an_ingress_that_stops_being_ours_is_cleared()
    {
        await using var api = await StartApiAsync();
        var foreign = Ingress("foreign", "nginx.example.com", "web");
        foreign.Spec.IngressClassName = "nginx";
        api.Create(foreign);
        foreign = api.Get<V1Ingress>("foreign")!;
        foreign.Status = new V1IngressStatus { LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [new V1IngressLoadBalancerIngress { Ip = "198.51.100.7" }] } };
        api.ReplaceStatus(foreign);
        await using var replica = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Publishing("only"));
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(StatusOf(api, "site") == Address), TimeSpan.FromSeconds(10), "our status", Cancel);

        var site = api.Get<V1Ingress>("site")!;
        site.Spec.IngressClassName = "nginx";
        api.Replace(site);

        await OneHopInstance.EventuallyAsync(() => Task.FromResult(StatusOf(api, "site") is null), TimeSpan.FromSeconds(10), "our status to be cleared", Cancel);
        Assert.Equal("198.51.100.7", StatusOf(api, "foreign"));
    }

    private static async Task<KubeApiServer> StartApiAsync()
    {
        var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.BookmarkInterval = TimeSpan.FromSeconds(1);
        api.Create(DefaultClass());
        api.Create(Service("web"));
        api.Create(Ingress("site", "shop.example.com", "web"));
        return api;
    }

    private static StatusPublishingOptions Publishing(string identity) => new([Address], null, "default", "onehop-onehop-leader", identity)
    {
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(300),
    };

    private static string? StatusOf(KubeApiServer api, string ingress) =>
        api.Get<V1Ingress>(ingress)?.Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.Ip;

    private static int StatusWrites(KubeApiServer api) =>
        api.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/ingresses/site/status", StringComparison.Ordinal));
}
