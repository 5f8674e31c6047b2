using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.KubeObjects;

namespace OneHop.IntegrationTests.Control;

/// <summary>The elected replica records Kubernetes Events on the objects OneHop has findings about, once each.</summary>
[Collection(nameof(TimingSensitive))]
public sealed class EventsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_ingress_naming_a_missing_tls_secret_gets_one_warning_event_however_often_routing_is_rebuilt()
    {
        await using var api = await StartApiAsync();
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Election("onehop-0"));

        var warning = await SingleEventAsync(api, "site");
        var site = api.Get<V1Ingress>("site")!;
        Assert.Equal(("Warning", "UnknownSecret"), (warning.Type, warning.Reason));
        Assert.Contains("spec.tls[0].secretName", warning.Note, StringComparison.Ordinal);
        Assert.Contains("missing-cert", warning.Note, StringComparison.Ordinal);
        Assert.Equal(("Ingress", "default", "site", site.Metadata.Uid), (warning.Regarding.Kind, warning.Regarding.NamespaceProperty, warning.Regarding.Name, warning.Regarding.Uid));
        Assert.Equal(("onehop.dev/onehop", "onehop-0", "Routing"), (warning.ReportingController, warning.ReportingInstance, warning.Action));

        // More translations with the finding still there: no new Event, no series patch.
        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        var written = EventWrites(api);
        for (var i = 0; i < 3; i++)
        {
            var before = onehop.Server.Coordinator.Status.LastBuild;
            api.Create(Service($"other-{i}"));
            await OneHopInstance.EventuallyAsync(() => Task.FromResult(onehop.Server.Coordinator.Status.LastBuild > before), TimeSpan.FromSeconds(10), "another translation", Cancel);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500), Cancel);
        Assert.Single(api.List<Eventsv1Event>(), e => e.Regarding.Name == "site");
        Assert.Equal(written, EventWrites(api));
    }

    [Fact]
    public async Task Of_three_replicas_only_the_leader_writes_events()
    {
        await using var api = await StartApiAsync();
        var replicas = new List<OneHopInstance>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                replicas.Add(await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Election($"replica-{i}")));
            }

            await SingleEventAsync(api, "site");
            await Task.Delay(TimeSpan.FromSeconds(1), Cancel);

            // The site's missing Secret, and the NoEndpoints warning of its Service: each once, by the leader.
            var leader = Assert.Single(replicas, r => r.Server.Election!.IsLeader);
            var events = api.List<Eventsv1Event>();
            Assert.Equal(["Ingress UnknownSecret", "Service NoEndpoints"], events.Select(e => $"{e.Regarding.Kind} {e.Reason}").Order(StringComparer.Ordinal));
            Assert.All(events, e => Assert.Equal(leader.Server.Election!.Identity, e.ReportingInstance));
            Assert.Equal(2, EventWrites(api));
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
    public async Task A_fixed_ingress_gets_a_normal_resolved_event_and_the_warning_stays()
    {
        await using var api = await StartApiAsync();
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Election("onehop-0"));
        await SingleEventAsync(api, "site");

        var site = api.Get<V1Ingress>("site")!;
        site.Spec.Tls = null;
        api.Replace(site);

        await OneHopInstance.EventuallyAsync(() => Task.FromResult(api.List<Eventsv1Event>().Any(e => e.Type == "Normal")), TimeSpan.FromSeconds(10), "the Resolved event", Cancel);
        var events = api.List<Eventsv1Event>().Where(e => e.Regarding.Kind == "Ingress");
        Assert.Equal(["Normal Resolved", "Warning UnknownSecret"], events.Select(e => $"{e.Type} {e.Reason}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task With_events_off_nothing_is_written()
    {
        await using var api = await StartApiAsync();
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: Election("onehop-0"), configure: o => o with { Events = false });

        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);

        // Nothing to write, so no election either.
        Assert.Null(onehop.Server.Election);
        Assert.Null(api.Get<V1Lease>("onehop-leader"));
        Assert.Empty(api.List<Eventsv1Event>());
        Assert.Equal(0, EventWrites(api));
    }

    private static async Task<KubeApiServer> StartApiAsync()
    {
        var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.BookmarkInterval = TimeSpan.FromSeconds(1);
        api.Create(DefaultClass());
        api.Create(Service("web"));
        var site = Ingress("site", "shop.example.com", "web");
        site.Spec.Tls = [new V1IngressTLS { Hosts = ["shop.example.com"], SecretName = "missing-cert" }];
        api.Create(site);
        return api;
    }

    /// <summary>The election without a publish address: Events alone make a replica take part.</summary>
    private static StatusPublishingOptions Election(string identity) => new([], null, "default", "onehop-leader", identity)
    {
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(300),
    };

    private static async Task<Eventsv1Event> SingleEventAsync(KubeApiServer api, string ingress)
    {
        await OneHopInstance.EventuallyAsync(() => Task.FromResult(api.List<Eventsv1Event>().Any(e => e.Regarding.Name == ingress)), TimeSpan.FromSeconds(10), $"an event on {ingress}", Cancel);
        return Assert.Single(api.List<Eventsv1Event>(), e => e.Regarding.Name == ingress);
    }

    private static int EventWrites(KubeApiServer api) =>
        api.Requests.Count(r => r.Method is "POST" or "PATCH" or "PUT" && r.Path.Contains("/apis/events.k8s.io/v1/", StringComparison.Ordinal));
}
