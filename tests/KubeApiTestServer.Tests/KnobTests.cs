using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>The test knobs of contract 4.6 and the brief.</summary>
public sealed class KnobTests
{
    [Fact]
    public async Task Close_all_watches_ends_them_cleanly_and_later_watches_work()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-a"));
        await using var first = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync("prod", onError: onError, cancellationToken: ct));
        await first.NextAsync();
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());

        server.CloseAllWatches();

        Assert.Empty(await first.RemainingAsync());
        Assert.True(first.Completion.IsCompletedSuccessfully);
        await using var second = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync("prod", onError: onError, cancellationToken: ct));
        Assert.Equal("web-a", (await second.NextAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task Drop_all_watches_aborts_the_connection_so_the_client_sees_an_io_error()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-a"));
        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync("prod", onError: onError, cancellationToken: ct));
        await watch.NextAsync();
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());

        server.DropAllWatches();

        var thrown = await Record.ExceptionAsync(() => watch.Completion.WaitAsync(TestTimeouts.Token()));
        Assert.True(thrown is IOException or HttpRequestException, $"Expected an I/O failure, got {thrown}");
    }

    [Fact]
    public async Task Drop_all_watches_leaves_the_raw_stream_without_its_terminating_chunk()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        using var response = await RawHttp.OpenStreamAsync(
            http, $"/api/v1/namespaces/prod/services?watch=true&resourceVersion={server.ResourceVersion}", TestTimeouts.Token());
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());

        server.DropAllWatches();

        await Assert.ThrowsAnyAsync<Exception>(() => RawHttp.ReadLinesAsync(response, TestTimeouts.Token()));
    }

    [Fact]
    public async Task History_capacity_limits_how_far_back_a_watch_can_resume()
    {
        await using var server = await TestServer.StartAsync(historyCapacity: 3);
        using var client = TestServer.Client(server);
        var start = server.ResourceVersion;
        for (var i = 0; i < 5; i++)
        {
            server.Create(Sample.Lease($"l{i}"));
        }

        Assert.Equal(start + 2, server.CompactedResourceVersion);
        await using var tooOld = new WatchCollector<V1Lease>((onError, ct) =>
            client.CoordinationV1.WatchListNamespacedLeaseAsync("onehop", resourceVersion: (start + 1).ToString(CultureInfo.InvariantCulture), onError: onError, cancellationToken: ct));
        await using var justInside = new WatchCollector<V1Lease>((onError, ct) =>
            client.CoordinationV1.WatchListNamespacedLeaseAsync("onehop", resourceVersion: (start + 2).ToString(CultureInfo.InvariantCulture), onError: onError, cancellationToken: ct));

        Assert.Equal(410, Assert.IsType<KubernetesException>(await tooOld.NextErrorAsync()).Status.Code);
        Assert.Equal(["l2", "l3", "l4"], (await justInside.TakeAsync(3)).Select(e => e.Object.Metadata.Name));

        server.HistoryCapacity = 1;
        Assert.Equal(server.ResourceVersion - 1, server.CompactedResourceVersion);
    }

    [Fact]
    public async Task Compact_history_to_a_resource_version_expires_older_resumes_only()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Lease("a"));
        var middle = server.ResourceVersion;
        server.Create(Sample.Lease("b"));

        server.CompactHistory(middle);

        await using var before = new WatchCollector<V1Lease>((onError, ct) =>
            client.CoordinationV1.WatchListNamespacedLeaseAsync("onehop", resourceVersion: (middle - 1).ToString(CultureInfo.InvariantCulture), onError: onError, cancellationToken: ct));
        await using var at = new WatchCollector<V1Lease>((onError, ct) =>
            client.CoordinationV1.WatchListNamespacedLeaseAsync("onehop", resourceVersion: middle.ToString(CultureInfo.InvariantCulture), onError: onError, cancellationToken: ct));
        Assert.Equal(410, Assert.IsType<KubernetesException>(await before.NextErrorAsync()).Status.Code);
        Assert.Equal("b", (await at.NextAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task A_forbidden_kind_answers_403_while_other_kinds_keep_working()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-a"));
        server.Create(Sample.Service("web"));

        server.Forbid(KubeKind.EndpointSlice);

        var list = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", cancellationToken: TestTimeouts.Token()));
        var get = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ReadNamespacedEndpointSliceAsync("web-a", "prod", cancellationToken: TestTimeouts.Token()));
        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(onError: onError, cancellationToken: ct));
        var watchError = await Assert.ThrowsAsync<HttpOperationException>(() => watch.Completion.WaitAsync(TestTimeouts.Token()));
        var services = await client.CoreV1.ListNamespacedServiceAsync("prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal(403, (int)list.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(list.Response.Content);
        Assert.Equal(("Failure", "Forbidden", 403), (status.Status, status.Reason, status.Code));
        Assert.Equal(
            "endpointslices.discovery.k8s.io is forbidden: User \"system:anonymous\" cannot list resource \"endpointslices\" in API group \"discovery.k8s.io\" in the namespace \"prod\"",
            status.Message);
        Assert.Equal(403, (int)get.Response.StatusCode);
        Assert.StartsWith("endpointslices.discovery.k8s.io \"web-a\" is forbidden: User \"system:anonymous\" cannot get resource", KubernetesJson.Deserialize<V1Status>(get.Response.Content).Message, StringComparison.Ordinal);
        Assert.Equal(403, (int)watchError.Response.StatusCode);
        Assert.Contains("cannot watch resource \\\"endpointslices\\\" in API group \\\"discovery.k8s.io\\\" at the cluster scope", watchError.Response.Content, StringComparison.Ordinal);
        Assert.Single(services.Items);

        server.Allow(KubeKind.EndpointSlice);
        Assert.Single((await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", cancellationToken: TestTimeouts.Token())).Items);
    }

    [Fact]
    public async Task Response_delay_holds_every_answer()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.ResponseDelay = TimeSpan.FromMilliseconds(300);

        var clock = Stopwatch.StartNew();
        await client.CoreV1.ListNamespacedServiceAsync("prod", cancellationToken: TestTimeouts.Token());

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task Response_delay_runs_on_the_injected_clock()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        using var client = TestServer.Client(server);
        server.ResponseDelay = TimeSpan.FromSeconds(30);

        var pending = client.CoreV1.ListNamespacedServiceAsync("prod", cancellationToken: TestTimeouts.Token());
        await server.WaitForRequestAsync(r => r.Path == "/api/v1/namespaces/prod/services", TestTimeouts.Token());
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty((await pending.WaitAsync(TestTimeouts.Token())).Items);
    }

    [Fact]
    public async Task Stopping_does_not_wait_for_a_delayed_answer()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        using var client = TestServer.Client(server);
        server.ResponseDelay = TimeSpan.FromHours(1);

        var pending = client.CoreV1.ListNodeAsync(cancellationToken: TestTimeouts.Token());
        await server.WaitForRequestAsync(r => r.Path == "/api/v1/nodes", TestTimeouts.Token());
        var clock = Stopwatch.StartNew();
        await server.StopAsync(cancellationToken: TestTimeouts.Token());

        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stop took {clock.Elapsed}");
    }

    [Fact]
    public async Task Bearer_token_is_required_when_configured()
    {
        await using var server = await TestServer.StartAsync(token: "s3cret");
        using var anonymous = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString() });
        using var wrong = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseUri.ToString(), AccessToken = "nope" });
        using var right = server.CreateClient();

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => anonymous.CoreV1.ListNodeAsync(cancellationToken: TestTimeouts.Token()));
        var bad = await Assert.ThrowsAsync<HttpOperationException>(() => wrong.CoreV1.ListNodeAsync(cancellationToken: TestTimeouts.Token()));
        var nodes = await right.CoreV1.ListNodeAsync(cancellationToken: TestTimeouts.Token());

        Assert.Equal(401, (int)missing.Response.StatusCode);
        Assert.Equal(401, (int)bad.Response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""",
            missing.Response.Content);
        Assert.Empty(nodes.Items);
    }

    [Fact]
    public async Task Stop_and_start_keeps_the_port_the_objects_and_the_resource_version()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-a"));
        var port = server.Port;
        var rv = server.ResourceVersion;
        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync("prod", onError: onError, cancellationToken: ct));
        await watch.NextAsync();
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());

        await server.StopAsync(cancellationToken: TestTimeouts.Token());

        Assert.Empty(await watch.RemainingAsync());
        Assert.False(server.IsRunning);
        var down = await Record.ExceptionAsync(() => client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", cancellationToken: TestTimeouts.Token()));
        Assert.True(down is HttpRequestException { InnerException: SocketException } or HttpRequestException, $"got {down}");
        server.Create(Sample.Slice("web-b"));

        await server.StartAsync(TestTimeouts.Token());

        Assert.Equal(port, server.Port);
        var list = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", cancellationToken: TestTimeouts.Token());
        Assert.Equal(["web-a", "web-b"], list.Items.Select(i => i.Metadata.Name));
        Assert.Equal((rv + 1).ToString(CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Stop_with_dropped_connections_aborts_open_watches()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-a"));
        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync("prod", onError: onError, cancellationToken: ct));
        await watch.NextAsync();
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());

        await server.StopAsync(dropConnections: true, TestTimeouts.Token());

        var thrown = await Record.ExceptionAsync(() => watch.Completion.WaitAsync(TestTimeouts.Token()));
        Assert.True(thrown is IOException or HttpRequestException, $"Expected an I/O failure, got {thrown}");
    }

    [Fact]
    public async Task Default_ingress_class_admission_can_be_emulated()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.IngressClass("onehop", isDefault: true));
        server.Create(Sample.IngressClass("other"));

        var untouched = await client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("before", className: null), "prod", cancellationToken: TestTimeouts.Token());
        server.EmulateDefaultIngressClass = true;
        var defaulted = await client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("after", className: null), "prod", cancellationToken: TestTimeouts.Token());
        var explicitClass = await client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("explicit", className: "other"), "prod", cancellationToken: TestTimeouts.Token());
        server.Create(Sample.IngressClass("second-default", isDefault: true));
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("ambiguous", className: null), "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Null(untouched.Spec.IngressClassName);
        Assert.Equal("onehop", defaulted.Spec.IngressClassName);
        Assert.Equal("other", explicitClass.Spec.IngressClassName);
        Assert.Equal(403, (int)refused.Response.StatusCode);
        Assert.Equal(
            "ingresses.networking.k8s.io \"ambiguous\" is forbidden: 2 default IngressClasses were found, only 1 allowed",
            KubernetesJson.Deserialize<V1Status>(refused.Response.Content).Message);
    }

    [Fact]
    public async Task Request_log_records_what_clients_asked_for()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);

        await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", labelSelector: "kubernetes.io/service-name=web", limit: 50, cancellationToken: TestTimeouts.Token());

        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/apis/discovery.k8s.io/v1/namespaces/prod/endpointslices", request.Path);
        Assert.Contains("limit=50", request.Query, StringComparison.Ordinal);
        Assert.Contains("labelSelector=kubernetes.io%2Fservice-name%3Dweb", request.Query, StringComparison.Ordinal);
    }
}
