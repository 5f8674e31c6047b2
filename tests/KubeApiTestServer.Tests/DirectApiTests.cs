using k8s;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>The direct C# API: the same store and rules as HTTP, visible to watches.</summary>
public sealed class DirectApiTests
{
    [Fact]
    public async Task Direct_writes_are_seen_by_http_watches()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        // Read before the watch starts: the collector opens it on another thread, maybe after the writes.
        var from = server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(resourceVersion: from, onError: onError, cancellationToken: ct));

        var created = server.Create(Sample.Slice("web-a"));
        created.Endpoints[0].Conditions.Ready = false;
        server.Replace(created);
        server.Delete<V1EndpointSlice>("web-a", "prod");

        var events = await watch.TakeAsync(3);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.False(events[1].Object.Endpoints[0].Conditions.Ready);
    }

    [Fact]
    public async Task Replace_is_conditional_only_when_a_resource_version_is_given()
    {
        await using var server = await TestServer.StartAsync();
        var created = server.Create(Sample.Lease("l"));
        server.Replace(Sample.Lease("l", holder: "lb-1"));

        var conflict = Assert.Throws<KubeApiException>(() => server.Replace(created));

        Assert.Equal(409, conflict.Code);
        Assert.Equal("Conflict", conflict.Reason);
        Assert.Equal(409, conflict.Status.Code);
        Assert.Equal("lb-1", server.Get<V1Lease>("l", "onehop")!.Spec.HolderIdentity);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Upsert_get_list_and_delete()
    {
        await using var server = await TestServer.StartAsync();

        server.Upsert(Sample.Service("b"));
        server.Upsert(Sample.Service("a"));
        var updated = server.Upsert(Sample.Service("a", port: 8443));
        server.Upsert(Sample.Service("x", ns: "dev"));
        var missing = Assert.Throws<KubeApiException>(() => server.Delete<V1Service>("zzz", "prod"));
        var node = server.Create(Sample.Node("node-a"));

        Assert.Equal(8443, updated.Spec.Ports[0].Port);
        Assert.Equal(2, updated.Metadata.Generation);
        Assert.Equal(["a", "b"], server.List<V1Service>("prod").Select(s => s.Metadata.Name));
        Assert.Equal(["x", "a", "b"], server.List<V1Service>().Select(s => s.Metadata.Name));
        Assert.Null(server.Get<V1Service>("nope", "prod"));
        Assert.Equal(404, missing.Code);
        Assert.Equal("services \"zzz\" not found", missing.Message);
        Assert.Null(node.Metadata.NamespaceProperty);
        Assert.Equal("node-a", server.Get<V1Node>("node-a")!.Metadata.Name);
        Assert.Equal("a", server.Delete<V1Service>("a", "prod").Metadata.Name);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Objects_without_a_namespace_go_to_default_and_status_can_be_set_directly()
    {
        await using var server = await TestServer.StartAsync();
        var ingress = Sample.Ingress("web");
        ingress.Metadata.NamespaceProperty = null;
        var created = server.Create(ingress);
        created.Status = new V1IngressStatus { LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [new V1IngressLoadBalancerIngress { Hostname = "lb.example.com" }] } };

        var withStatus = server.ReplaceStatus(created);

        Assert.Equal("default", created.Metadata.NamespaceProperty);
        Assert.Equal("lb.example.com", withStatus.Status.LoadBalancer.Ingress[0].Hostname);
        await Task.CompletedTask;
    }
}
