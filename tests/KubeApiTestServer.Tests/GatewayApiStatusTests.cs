using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;
using OneHop.Core.State.GatewayApi;
using static KubeApiTestServer.Tests.Support.GatewayApiSample;

namespace KubeApiTestServer.Tests;

/// <summary>The <c>/status</c> subresource of GatewayClass, Gateway and HTTPRoute, as their CRDs declare it.</summary>
public sealed class GatewayApiStatusTests
{
    [Fact]
    public async Task Create_clears_status()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var gateway = Gateway("edge");
        gateway.Status = new GatewayStatus { Conditions = Accepted(1) };

        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<Gateway>(gateway, Group, V1, "prod", "gateways", cancellationToken: TestTimeouts.Token());

        Assert.Null(created.Status);
    }

    [Fact]
    public async Task Status_replace_changes_only_status_keeps_generation_and_emits_one_modified_event()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = server.Create(Route("web"));
        await using var watch = new WatchCollector<object>((onError, ct) =>
            client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, V1, "prod", "httproutes", resourceVersion: created.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));

        created.Spec.Hostnames = ["changed.example.com"];
        created.Metadata.Labels = new Dictionary<string, string> { ["ignored"] = "yes" };
        created.Status = new RouteStatus { Parents = [new RouteParentStatus { ParentRef = new ParentReference { Name = "edge" }, ControllerName = GatewayApiNames.ControllerName, Conditions = Accepted(1) }] };
        var updated = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<HttpRoute>(created, Group, V1, "prod", "httproutes", "web", cancellationToken: TestTimeouts.Token());

        Assert.Equal(["a.example.com"], updated.Spec.Hostnames);
        Assert.Null(updated.Metadata.Labels);
        Assert.Equal(1, updated.Metadata.Generation);
        Assert.Equal(("Accepted", 1L), (updated.Status!.Parents![0].Conditions![0].Type, updated.Status.Parents[0].Conditions![0].ObservedGeneration!.Value));
        server.Create(Route("next"));
        var events = await watch.TakeAsync(2);
        Assert.Equal([(WatchEventType.Modified, "web"), (WatchEventType.Added, "next")], events.Select(e => (e.Type, As<HttpRoute>(e.Object).Metadata.Name)));
        Assert.Equal(updated.Metadata.ResourceVersion, As<HttpRoute>(events[0].Object).Metadata.ResourceVersion);
        Assert.Equal(GatewayApiNames.ControllerName, As<HttpRoute>(events[0].Object).Status!.Parents![0].ControllerName);
    }

    [Fact]
    public async Task A_grpcroute_is_served_with_list_watch_and_status()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var route = new GrpcRoute
        {
            Metadata = new V1ObjectMeta { Name = "rpc", NamespaceProperty = "prod" },
            Spec = new GrpcRouteSpec { ParentRefs = [new ParentReference { Name = "edge" }], Rules = [new GrpcRouteRule { Matches = [new GrpcRouteMatch { Method = new GrpcMethodMatch { Service = "shop.Cart", Method = "Add" } }] }] },
        };
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<GrpcRoute>(route, Group, V1, "prod", "grpcroutes", cancellationToken: TestTimeouts.Token());
        await using var watch = new WatchCollector<object>((onError, ct) =>
            client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, V1, "prod", "grpcroutes", resourceVersion: created.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));

        created.Status = new RouteStatus { Parents = [new RouteParentStatus { ParentRef = new ParentReference { Name = "edge" }, ControllerName = GatewayApiNames.ControllerName, Conditions = Accepted(1) }] };
        var updated = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<GrpcRoute>(created, Group, V1, "prod", "grpcroutes", "rpc", cancellationToken: TestTimeouts.Token());

        Assert.Equal("Add", updated.Spec.Rules![0].Matches![0].Method!.Method);
        Assert.Equal(GatewayApiNames.ControllerName, updated.Status!.Parents![0].ControllerName);
        Assert.Equal("rpc", As<GrpcRoute>((await watch.TakeAsync(1))[0].Object).Metadata.Name);
        Assert.Equal(["rpc"], server.List<GrpcRoute>().Select(r => r.Metadata.Name));
    }

    [Fact]
    public async Task A_tcproute_is_served_as_v1alpha2_with_list_watch_and_status() =>
        await ServedWithStatus(new TcpRoute { Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "prod" }, Spec = new L4RouteSpec { ParentRefs = Edge(), Rules = Db() } }, "tcproutes", r => r.Status, (r, s) => r.Status = s);

    [Fact]
    public async Task A_udproute_is_served_as_v1alpha2_with_list_watch_and_status() =>
        await ServedWithStatus(new UdpRoute { Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "prod" }, Spec = new L4RouteSpec { ParentRefs = Edge(), Rules = Db() } }, "udproutes", r => r.Status, (r, s) => r.Status = s);

    [Fact]
    public async Task A_tlsroute_is_served_as_v1alpha2_with_list_watch_and_status() =>
        await ServedWithStatus(new TlsRoute { Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "prod" }, Spec = new TlsRouteSpec { ParentRefs = Edge(), Hostnames = ["db.example.com"], Rules = Db() } }, "tlsroutes", r => r.Status, (r, s) => r.Status = s);

    private static List<ParentReference> Edge() => [new ParentReference { Name = "edge" }];

    private static List<L4RouteRule> Db() => [new L4RouteRule { BackendRefs = [new BackendReference { Name = "db", Port = 5432 }] }];

    /// <summary>Create, watch, write /status and list one route of an experimental kind; its status is found where it was written.</summary>
    private static async Task ServedWithStatus<T>(T route, string plural, Func<T, RouteStatus?> statusOf, Action<T, RouteStatus> setStatus)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<T>(route, Group, "v1alpha2", "prod", plural, cancellationToken: TestTimeouts.Token());
        await using var watch = new WatchCollector<object>((onError, ct) =>
            client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, "v1alpha2", "prod", plural, resourceVersion: created.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));
        setStatus(created, new RouteStatus { Parents = [new RouteParentStatus { ParentRef = new ParentReference { Name = "edge" }, ControllerName = GatewayApiNames.ControllerName, Conditions = Accepted(1) }] });

        var updated = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<T>(created, Group, "v1alpha2", "prod", plural, "db", cancellationToken: TestTimeouts.Token());

        Assert.Equal(GatewayApiNames.ControllerName, statusOf(updated)!.Parents![0].ControllerName);
        Assert.Contains("\"port\":5432", k8s.KubernetesJson.Serialize(updated), StringComparison.Ordinal);
        Assert.Equal("db", As<T>((await watch.TakeAsync(1))[0].Object).Metadata.Name);
        Assert.Equal([GatewayApiNames.ControllerName], server.List<T>().Select(r => statusOf(r)!.Parents![0].ControllerName));
    }

    [Fact]
    public async Task Main_replace_keeps_status()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = server.Create(Gateway("edge"));
        created.Status = new GatewayStatus { Conditions = Accepted(1) };
        var withStatus = server.ReplaceStatus(created);

        withStatus.Status = null;
        withStatus.Spec.Listeners![0].Port = 8080;
        var replaced = await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<Gateway>(withStatus, Group, V1, "prod", "gateways", "edge", cancellationToken: TestTimeouts.Token());

        Assert.Equal(8080, replaced.Spec.Listeners![0].Port);
        Assert.Equal("Accepted", replaced.Status!.Conditions![0].Type);
        Assert.Equal(2, replaced.Metadata.Generation);
    }

    [Fact]
    public async Task Status_replace_needs_a_current_resource_version_while_a_status_merge_patch_does_not()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = server.Create(Route("web"));
        var stale = server.Get<HttpRoute>("web", "prod")!;
        var unversioned = server.Get<HttpRoute>("web", "prod")!;
        unversioned.Metadata.ResourceVersion = null;
        server.Replace(Route("web", host: "b.example.com"));

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<HttpRoute>(stale, Group, V1, "prod", "httproutes", "web", cancellationToken: TestTimeouts.Token()));
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<HttpRoute>(unversioned, Group, V1, "prod", "httproutes", "web", cancellationToken: TestTimeouts.Token()));
        var patched = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<HttpRoute>(
            new V1Patch("""{"status":{"parents":[{"parentRef":{"name":"edge"},"controllerName":"onehop.dev/gateway-controller"}]},"spec":{"hostnames":["ignored.example.com"]}}""", V1Patch.PatchType.MergePatch),
            Group,
            V1,
            "prod",
            "httproutes",
            "web",
            cancellationToken: TestTimeouts.Token());

        Assert.Equal(409, (int)conflict.Response.StatusCode);
        Assert.Equal(422, (int)invalid.Response.StatusCode);
        Assert.Equal(["b.example.com"], patched.Spec.Hostnames);
        Assert.Equal("edge", patched.Status!.Parents![0].ParentRef.Name);
        Assert.Equal(created.Metadata.Uid, patched.Metadata.Uid);
    }

    [Fact]
    public async Task A_gateway_class_status_is_written_at_the_cluster_scope()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = server.Create(Class("onehop"));
        created.Status = new GatewayClassStatus { Conditions = Accepted(1) };

        var updated = await client.CustomObjects.ReplaceClusterCustomObjectStatusAsync<GatewayClass>(created, Group, V1, "gatewayclasses", "onehop", cancellationToken: TestTimeouts.Token());

        Assert.Equal("Accepted", updated.Status!.Conditions![0].Type);
        Assert.Equal("Accepted", server.Get<GatewayClass>("onehop")!.Status!.Conditions![0].Type);
    }

    [Fact]
    public async Task A_reference_grant_has_no_status_subresource()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        server.Create(Grant("let-prod"));

        var (code, body) = await RawHttp.GetJsonAsync(http, "/apis/gateway.networking.k8s.io/v1beta1/namespaces/backends/referencegrants/let-prod/status");

        Assert.Equal(404, code);
        Assert.Equal("NotFound", body.GetProperty("reason").GetString());
    }
}
