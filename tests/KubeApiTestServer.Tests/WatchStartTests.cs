using k8s;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 4.2 and 4.4: where a watch starts, and the events it carries.</summary>
public sealed class WatchStartTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    public async Task Watch_without_a_resource_version_sends_synthetic_ADDED_then_live_changes(string? resourceVersion)
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-b"));
        server.Create(Sample.Slice("web-a"));
        server.Create(Sample.Slice("other", ns: "dev"));

        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync("prod", resourceVersion: resourceVersion, onError: onError, cancellationToken: ct));

        var initial = await watch.TakeAsync(2);
        Assert.All(initial, e => Assert.Equal(WatchEventType.Added, e.Type));
        Assert.Equal(["web-a", "web-b"], initial.Select(e => e.Object.Metadata.Name));
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());

        var created = server.Create(Sample.Slice("web-c"));
        var live = await watch.NextAsync();
        Assert.Equal(WatchEventType.Added, live.Type);
        Assert.Equal(created.Metadata.ResourceVersion, live.Object.Metadata.ResourceVersion);
        Assert.Equal("EndpointSlice", live.Object.Kind);
        Assert.Equal("discovery.k8s.io/v1", live.Object.ApiVersion);
    }

    [Fact]
    public async Task Watch_from_a_resource_version_sends_every_later_change_and_nothing_before()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var a = server.Create(Sample.Slice("web-a"));
        var list = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", cancellationToken: TestTimeouts.Token());
        var modified = Sample.Slice("web-a", addresses: "10.9.9.9");
        server.Replace(modified);
        server.Create(Sample.Slice("web-b"));
        server.Delete<V1EndpointSlice>("web-a", "prod");
        server.Create(Sample.Slice("elsewhere", ns: "dev"));

        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(
                "prod", resourceVersion: list.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));

        var events = await watch.TakeAsync(3);
        Assert.Equal(
            [(WatchEventType.Modified, "web-a"), (WatchEventType.Added, "web-b"), (WatchEventType.Deleted, "web-a")],
            events.Select(e => (e.Type, e.Object.Metadata.Name)));
        var versions = events.Select(e => long.Parse(e.Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(versions, rv => Assert.True(rv > long.Parse(list.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(a.Metadata.Uid, events[2].Object.Metadata.Uid);
    }

    [Fact]
    public async Task Deleted_event_carries_the_last_state_with_the_deletion_resource_version()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = server.Create(Sample.Slice("web-a", addresses: "10.0.0.7"));

        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(
                "prod", resourceVersion: created.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        await client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync("web-a", "prod", cancellationToken: TestTimeouts.Token());

        var deleted = await watch.NextAsync();
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        Assert.Equal("10.0.0.7", deleted.Object.Endpoints[0].Addresses[0]);
        Assert.Equal(server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), deleted.Object.Metadata.ResourceVersion);
        Assert.NotEqual(created.Metadata.ResourceVersion, deleted.Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Every_write_bumps_the_global_resource_version_once_and_emits_one_event()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var start = server.ResourceVersion;
        await using var watch = new WatchCollector<V1Service>((onError, ct) =>
            client.CoreV1.WatchListServiceForAllNamespacesAsync(
                resourceVersion: start.ToString(System.Globalization.CultureInfo.InvariantCulture), onError: onError, cancellationToken: ct));

        var svc = await client.CoreV1.CreateNamespacedServiceAsync(Sample.Service("web"), "prod", cancellationToken: TestTimeouts.Token());
        server.Create(Sample.Lease("unrelated"));
        svc.Spec.Ports[0].Port = 81;
        svc = await client.CoreV1.ReplaceNamespacedServiceAsync(svc, "web", "prod", cancellationToken: TestTimeouts.Token());
        svc.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "203.0.113.1" }] } };
        await client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "web", "prod", cancellationToken: TestTimeouts.Token());
        await client.CoreV1.DeleteNamespacedServiceAsync("web", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal(start + 5, server.ResourceVersion);
        var events = await watch.TakeAsync(4);
        Assert.Equal(
            [WatchEventType.Added, WatchEventType.Modified, WatchEventType.Modified, WatchEventType.Deleted],
            events.Select(e => e.Type));
        Assert.Equal(
            [start + 1, start + 3, start + 4, start + 5],
            events.Select(e => long.Parse(e.Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(watch.HasPendingEvent);
    }
}
