using System.Globalization;
using k8s;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 4.5, 4.6 and 8.2: how KubernetesClient's watch enumerators see the server's stream.</summary>
public sealed class WatchClientTests
{
    [Fact]
    public async Task Too_old_resource_version_reaches_on_error_as_a_410_expired_status_and_the_watch_ends()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var old = server.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        server.Create(Sample.Ingress("a"));
        server.Create(Sample.Ingress("b"));
        server.CompactHistory();

        await using var watch = new WatchCollector<V1Ingress>((onError, ct) =>
            client.NetworkingV1.WatchListNamespacedIngressAsync("prod", resourceVersion: old, onError: onError, cancellationToken: ct));

        var error = Assert.IsType<KubernetesException>(await watch.NextErrorAsync());
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.Equal($"too old resource version: {old} ({server.ResourceVersion})", error.Status.Message);
        Assert.Empty(await watch.RemainingAsync());
    }

    [Fact]
    public async Task Future_resource_version_reaches_on_error_as_a_504()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);

        await using var watch = new WatchCollector<V1Service>((onError, ct) =>
            client.CoreV1.WatchListNamespacedServiceAsync("prod", resourceVersion: "12345", onError: onError, cancellationToken: ct));

        var error = Assert.IsType<KubernetesException>(await watch.NextErrorAsync());
        Assert.Equal(504, error.Status.Code);
        Assert.Equal("Timeout", error.Status.Reason);
    }

    [Fact]
    public async Task Bookmarks_arrive_as_bookmark_events_carrying_only_the_resource_version()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        server.BookmarkInterval = TimeSpan.FromSeconds(30);
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-a"));
        var from = server.ResourceVersion.ToString(CultureInfo.InvariantCulture);

        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(
                "prod", allowWatchBookmarks: true, resourceVersion: from, timeoutSeconds: 600, onError: onError, cancellationToken: ct));
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        server.Create(Sample.Lease("elsewhere"));
        time.Advance(TimeSpan.FromSeconds(30));

        var bookmark = await watch.NextAsync();
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(server.ResourceVersion.ToString(CultureInfo.InvariantCulture), bookmark.Object.Metadata.ResourceVersion);
        Assert.Null(bookmark.Object.Metadata.Name);
        Assert.Null(bookmark.Object.Endpoints);
    }

    [Fact]
    public async Task Timeout_seconds_ends_the_watch_cleanly_after_a_final_bookmark()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        using var client = TestServer.Client(server);
        var from = server.ResourceVersion.ToString(CultureInfo.InvariantCulture);

        await using var watch = new WatchCollector<V1Ingress>((onError, ct) =>
            client.NetworkingV1.WatchListIngressForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: from, timeoutSeconds: 5, onError: onError, cancellationToken: ct));
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        time.Advance(TimeSpan.FromSeconds(5));

        var rest = await watch.RemainingAsync();
        var bookmark = Assert.Single(rest);
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(from, bookmark.Object.Metadata.ResourceVersion);
        Assert.True(watch.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_watch_that_ends_with_no_event_at_all_throws_in_the_client_as_the_contract_warns()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        using var client = TestServer.Client(server);

        await using var watch = new WatchCollector<V1Lease>((onError, ct) =>
            client.CoordinationV1.WatchListNamespacedLeaseAsync(
                "onehop", resourceVersion: server.ResourceVersion.ToString(CultureInfo.InvariantCulture), timeoutSeconds: 1, onError: onError, cancellationToken: ct));
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<HttpRequestException>(() => watch.Completion.WaitAsync(TestTimeouts.Token()));
    }

    [Fact]
    public async Task Cluster_scoped_watches_work_for_nodes_and_ingress_classes()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Node("node-a"));
        server.Create(Sample.IngressClass("onehop"));

        await using var nodes = new WatchCollector<V1Node>((onError, ct) =>
            client.CoreV1.WatchListNodeAsync(onError: onError, cancellationToken: ct));
        await using var classes = new WatchCollector<V1IngressClass>((onError, ct) =>
            client.NetworkingV1.WatchListIngressClassAsync(onError: onError, cancellationToken: ct));

        var node = await nodes.NextAsync();
        var ingressClass = await classes.NextAsync();
        Assert.Equal(("node-a", "zone-a"), (node.Object.Metadata.Name, node.Object.Metadata.Labels["topology.kubernetes.io/zone"]));
        Assert.Equal("example.com/onehop", ingressClass.Object.Spec.Controller);
        Assert.Null(node.Object.Metadata.NamespaceProperty);
    }
}
