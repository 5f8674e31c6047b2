using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;
using OneHop.Core.State.GatewayApi;
using static KubeApiTestServer.Tests.Support.GatewayApiSample;

namespace KubeApiTestServer.Tests;

/// <summary>
/// Gateway API custom resources through KubernetesClient's custom-object calls: the paths, the custom-resource
/// strategy (conditional updates only, generation bumped by anything but metadata) and watches of every scope.
/// </summary>
public sealed class GatewayApiTests
{
    [Fact]
    public async Task Every_gateway_api_kind_round_trips_through_the_custom_object_calls()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var token = TestTimeouts.Token();

        var created = await client.CustomObjects.CreateClusterCustomObjectAsync<GatewayClass>(Class("onehop"), Group, V1, "gatewayclasses", cancellationToken: token);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync<Gateway>(Gateway("edge"), Group, V1, "prod", "gateways", cancellationToken: token);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync<HttpRoute>(Route("web"), Group, V1, "prod", "httproutes", cancellationToken: token);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync<HttpRoute>(Route("api", ns: "dev"), Group, V1, "dev", "httproutes", cancellationToken: token);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync<ReferenceGrant>(Grant("let-prod"), Group, "v1beta1", "backends", "referencegrants", cancellationToken: token);

        Assert.Null(created.Metadata.NamespaceProperty);
        Assert.Equal((1L, "GatewayClass", "gateway.networking.k8s.io/v1"), (created.Metadata.Generation!.Value, created.Kind, created.ApiVersion));
        Assert.Equal(["onehop"], Names(await client.CustomObjects.ListClusterCustomObjectAsync(Group, V1, "gatewayclasses", cancellationToken: token)));
        Assert.Equal(["edge"], Names(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1, "prod", "gateways", cancellationToken: token)));
        Assert.Equal(["web"], Names(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1, "prod", "httproutes", cancellationToken: token)));
        Assert.Equal(["api", "web"], Names(await client.CustomObjects.ListCustomObjectForAllNamespacesAsync(Group, V1, "httproutes", cancellationToken: token)));
        Assert.Equal(["let-prod"], Names(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, "v1beta1", "backends", "referencegrants", cancellationToken: token)));
        var route = await client.CustomObjects.GetNamespacedCustomObjectAsync<HttpRoute>(Group, V1, "prod", "httproutes", "web", cancellationToken: token);
        Assert.Equal("web", route.Spec.Rules![0].BackendRefs![0].Name);
        Assert.Equal(GatewayApiNames.ControllerName, (await client.CustomObjects.GetClusterCustomObjectAsync<GatewayClass>(Group, V1, "gatewayclasses", "onehop", cancellationToken: token)).Spec.ControllerName);
        Assert.Equal("Service", server.Get<ReferenceGrant>("let-prod", "backends")!.Spec.To![0].Kind);

        route.Spec.Hostnames = ["b.example.com"];
        var replaced = await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<HttpRoute>(route, Group, V1, "prod", "httproutes", "web", cancellationToken: token);
        var patched = await client.CustomObjects.PatchNamespacedCustomObjectAsync<HttpRoute>(
            new V1Patch("""{"spec":{"hostnames":["c.example.com"]}}""", V1Patch.PatchType.MergePatch), Group, V1, "prod", "httproutes", "web", cancellationToken: token);
        var deleted = await client.CustomObjects.DeleteNamespacedCustomObjectAsync<V1Status>(Group, V1, "prod", "httproutes", "web", cancellationToken: token);
        await client.CustomObjects.DeleteClusterCustomObjectAsync<V1Status>(Group, V1, "gatewayclasses", "onehop", cancellationToken: token);

        Assert.Equal(["b.example.com"], replaced.Spec.Hostnames);
        Assert.Equal(["c.example.com"], patched.Spec.Hostnames);
        Assert.Equal(("Success", "httproutes", "gateway.networking.k8s.io"), (deleted.Status, deleted.Details.Kind, deleted.Details.Group));
        Assert.Equal(["api"], server.List<HttpRoute>().Select(r => r.Metadata.Name));
        Assert.Empty(server.List<GatewayClass>());
    }

    [Fact]
    public async Task Generation_is_bumped_by_spec_changes_only_and_a_status_sent_to_the_main_resource_is_ignored()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var token = TestTimeouts.Token();
        var route = server.Create(Route("web"));

        route.Metadata.Labels = new Dictionary<string, string> { ["team"] = "a" };
        route.Status = new RouteStatus { Parents = [new RouteParentStatus { ParentRef = new ParentReference { Name = "edge" }, ControllerName = GatewayApiNames.ControllerName }] };
        var relabelled = await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<HttpRoute>(route, Group, V1, "prod", "httproutes", "web", cancellationToken: token);
        relabelled.Spec.Hostnames = ["b.example.com"];
        var respecced = await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<HttpRoute>(relabelled, Group, V1, "prod", "httproutes", "web", cancellationToken: token);

        Assert.Equal(1, relabelled.Metadata.Generation);
        Assert.Equal("a", relabelled.Metadata.Labels["team"]);
        Assert.Null(relabelled.Status);
        Assert.Equal(2, respecced.Metadata.Generation);
    }

    [Fact]
    public async Task An_update_without_a_resource_version_is_422_and_of_a_missing_object_404()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var gateway = server.Create(Gateway("edge"));
        gateway.Metadata.ResourceVersion = null;

        var unconditional = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ReplaceNamespacedCustomObjectAsync<Gateway>(gateway, Group, V1, "prod", "gateways", "edge", cancellationToken: TestTimeouts.Token()));
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ReplaceNamespacedCustomObjectAsync<Gateway>(Gateway("nope"), Group, V1, "prod", "gateways", "nope", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(422, (int)unconditional.Response.StatusCode);
        Assert.Equal(
            "Gateway.gateway.networking.k8s.io \"edge\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
            KubernetesJson.Deserialize<V1Status>(unconditional.Response.Content).Message);
        Assert.Equal(404, (int)missing.Response.StatusCode);
        Assert.Equal("gateways.gateway.networking.k8s.io \"nope\" not found", KubernetesJson.Deserialize<V1Status>(missing.Response.Content).Message);
    }

    [Fact]
    public async Task Namespaced_all_namespaces_and_cluster_scoped_watches_see_every_change()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Route("web"));
        await using var inProd = new WatchCollector<object>((onError, ct) =>
            client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, V1, "prod", "httproutes", onError: onError, cancellationToken: ct));
        await using var everywhere = new WatchCollector<object>((onError, ct) =>
            client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(Group, V1, "httproutes", onError: onError, cancellationToken: ct));
        await using var classes = new WatchCollector<object>((onError, ct) =>
            client.CustomObjects.WatchListClusterCustomObjectAsync(Group, V1, "gatewayclasses", onError: onError, cancellationToken: ct));
        Assert.Equal("web", As<HttpRoute>((await inProd.NextAsync()).Object).Metadata.Name);
        Assert.Equal("web", As<HttpRoute>((await everywhere.NextAsync()).Object).Metadata.Name);
        await server.WaitForWatchesAsync(3, cancellationToken: TestTimeouts.Token());

        server.Create(Route("api", ns: "dev"));
        var changed = server.Get<HttpRoute>("web", "prod")!;
        changed.Spec.Hostnames = ["b.example.com"];
        server.Replace(changed);
        server.Delete<HttpRoute>("web", "prod");
        var cls = server.Create(Class("onehop"));

        var prodEvents = await inProd.TakeAsync(2);
        Assert.Equal([WatchEventType.Modified, WatchEventType.Deleted], prodEvents.Select(e => e.Type));
        Assert.Equal(["b.example.com"], As<HttpRoute>(prodEvents[0].Object).Spec.Hostnames);
        var allEvents = await everywhere.TakeAsync(3);
        Assert.Equal([(WatchEventType.Added, "dev"), (WatchEventType.Modified, "prod"), (WatchEventType.Deleted, "prod")], allEvents.Select(e => (e.Type, As<HttpRoute>(e.Object).Metadata.NamespaceProperty)));
        var added = await classes.NextAsync();
        Assert.Equal((WatchEventType.Added, cls.Metadata.ResourceVersion), (added.Type, As<GatewayClass>(added.Object).Metadata.ResourceVersion));
        Assert.Equal(("GatewayClass", "gateway.networking.k8s.io/v1"), (As<GatewayClass>(added.Object).Kind, As<GatewayClass>(added.Object).ApiVersion));
    }

    [Fact]
    public async Task The_legacy_watch_path_prefix_watches_custom_resources_too()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        server.Create(Grant("let-prod"));

        using var response = await RawHttp.OpenStreamAsync(http, "/apis/gateway.networking.k8s.io/v1beta1/watch/namespaces/backends/referencegrants", TestTimeouts.Token());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Token()));

        var line = JsonNode.Parse((await reader.ReadLineAsync(TestTimeouts.Token()))!)!;
        Assert.Equal(("ADDED", "ReferenceGrant", "let-prod"), ((string?)line["type"], (string?)line["object"]!["kind"], (string?)line["object"]!["metadata"]!["name"]));
    }
}
