using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;
using OneHop.Core.State.GatewayApi;
using static KubeApiTestServer.Tests.Support.GatewayApiSample;

namespace KubeApiTestServer.Tests;

/// <summary>The knob that makes custom resource kinds "not installed": 404 on their paths, switchable at runtime.</summary>
public sealed class NotInstalledKindTests
{
    [Fact]
    public async Task An_uninstalled_kind_answers_404_with_a_not_found_status_to_every_request_while_other_kinds_work()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        using var http = RawHttp.Client(server);
        server.Create(Route("web"));
        server.Create(Sample.Service("web"));

        server.Uninstall(KubeKind.HttpRoute);

        var list = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1, "prod", "httproutes", cancellationToken: TestTimeouts.Token()));
        var get = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.GetNamespacedCustomObjectAsync<HttpRoute>(Group, V1, "prod", "httproutes", "web", cancellationToken: TestTimeouts.Token()));
        var create = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync<HttpRoute>(Route("api"), Group, V1, "prod", "httproutes", cancellationToken: TestTimeouts.Token()));
        await using var watch = new WatchCollector<object>((onError, ct) =>
            client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(Group, V1, "httproutes", onError: onError, cancellationToken: ct));
        var watchError = await Assert.ThrowsAsync<HttpOperationException>(() => watch.Completion.WaitAsync(TestTimeouts.Token()));
        var (legacyCode, _) = await RawHttp.GetJsonAsync(http, "/apis/gateway.networking.k8s.io/v1/watch/namespaces/prod/httproutes");

        Assert.All([list, get, create, watchError], e => Assert.Equal(404, (int)e.Response.StatusCode));
        var status = KubernetesJson.Deserialize<V1Status>(list.Response.Content);
        Assert.Equal(("Status", "Failure", "NotFound", 404), (status.Kind, status.Status, status.Reason, status.Code));
        Assert.Equal("the server could not find the requested resource", status.Message);
        Assert.Equal(404, legacyCode);
        Assert.Single((await client.CoreV1.ListNamespacedServiceAsync("prod", cancellationToken: TestTimeouts.Token())).Items);
        Assert.Empty(Names(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1, "prod", "gateways", cancellationToken: TestTimeouts.Token())));
        Assert.False(server.IsInstalled(KubeKind.HttpRoute));
    }

    [Fact]
    public async Task Installing_again_serves_the_objects_kept_and_those_written_directly_meanwhile()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Route("web"));
        foreach (var kind in KubeApiServer.GatewayApiKinds)
        {
            server.Uninstall(kind);
        }

        server.Create(Route("api"));
        server.Create(Class("onehop"));
        foreach (var kind in KubeApiServer.GatewayApiKinds)
        {
            server.Install(kind);
        }

        Assert.Equal(["api", "web"], Names(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, V1, "prod", "httproutes", cancellationToken: TestTimeouts.Token())));
        Assert.Equal(["onehop"], Names(await client.CustomObjects.ListClusterCustomObjectAsync(Group, V1, "gatewayclasses", cancellationToken: TestTimeouts.Token())));
        Assert.All(KubeApiServer.GatewayApiKinds, k => Assert.True(server.IsInstalled(k)));
    }

    [Fact]
    public async Task Uninstalling_ends_the_kinds_open_watches_cleanly_and_no_other()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Route("web"));
        server.Create(Sample.Service("web"));
        await using var routes = new WatchCollector<object>((onError, ct) =>
            client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, V1, "prod", "httproutes", onError: onError, cancellationToken: ct));
        await using var services = new WatchCollector<V1Service>((onError, ct) =>
            client.CoreV1.WatchListNamespacedServiceAsync("prod", onError: onError, cancellationToken: ct));
        await routes.NextAsync();
        await services.NextAsync();
        await server.WaitForWatchesAsync(2, cancellationToken: TestTimeouts.Token());

        server.Uninstall(KubeKind.HttpRoute);

        Assert.Empty(await routes.RemainingAsync());
        Assert.True(routes.Completion.IsCompletedSuccessfully);
        await server.WaitForWatchesAtMostAsync(0, KubeKind.HttpRoute, TestTimeouts.Token());
        server.Create(Sample.Service("api"));
        Assert.Equal("api", (await services.NextAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task A_forbidden_uninstalled_kind_answers_403_as_authorization_comes_first()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Uninstall(KubeKind.Gateway);
        server.Forbid(KubeKind.Gateway);

        var list = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ListCustomObjectForAllNamespacesAsync(Group, V1, "gateways", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(403, (int)list.Response.StatusCode);
    }

    [Fact]
    public async Task Built_in_kinds_cannot_be_uninstalled()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Throws<ArgumentException>(() => server.Uninstall(KubeKind.Service));
        Assert.Throws<ArgumentException>(() => server.Install(KubeKind.Ingress));
        Assert.True(server.IsInstalled(KubeKind.Service));
    }
}
