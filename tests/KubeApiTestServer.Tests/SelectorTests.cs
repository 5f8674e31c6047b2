using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 3.5 and 4.4: label and field selectors on LIST and WATCH.</summary>
public sealed class SelectorTests
{
    [Theory]
    [InlineData("tier=front", "a,b")]
    [InlineData("tier==front", "a,b")]
    [InlineData("tier!=front", "c,d")]
    [InlineData("tier in (front,back)", "a,b,c")]
    [InlineData("tier notin (front)", "c,d")]
    [InlineData("tier", "a,b,c")]
    [InlineData("!tier", "d")]
    [InlineData("tier=front,zone=east", "a")]
    [InlineData("tier=front, zone notin (east)", "b")]
    [InlineData("kubernetes.io/service-name=web", "a,b,c,d")]
    [InlineData("", "a,b,c,d")]
    public async Task Label_selectors_filter_lists(string selector, string expected)
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        Seed(server);

        var list = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", labelSelector: selector, cancellationToken: TestTimeouts.Token());

        Assert.Equal(expected.Split(','), list.Items.Select(i => i.Metadata.Name));
    }

    [Theory]
    [InlineData("tier in (front")]
    [InlineData("tier ~ x")]
    [InlineData("tier in ()")]
    [InlineData("Bad Key=1")]
    [InlineData("!")]
    public async Task Malformed_label_selectors_are_400(string selector)
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", labelSelector: selector, cancellationToken: TestTimeouts.Token()));

        Assert.Equal(400, (int)error.Response.StatusCode);
        Assert.Equal("BadRequest", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason);
    }

    [Theory]
    [InlineData("metadata.name=b", "prod/b")]
    [InlineData("metadata.name==b", "prod/b")]
    [InlineData("metadata.name!=b", "dev/x,prod/a,prod/c,prod/d")]
    [InlineData("metadata.namespace=dev", "dev/x")]
    [InlineData("metadata.namespace!=prod,metadata.name=x", "dev/x")]
    public async Task Field_selectors_filter_lists(string selector, string expected)
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        Seed(server);
        server.Create(Sample.Slice("x", ns: "dev"));

        var list = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(fieldSelector: selector, cancellationToken: TestTimeouts.Token());

        Assert.Equal(expected.Split(','), list.Items.Select(i => $"{i.Metadata.NamespaceProperty}/{i.Metadata.Name}"));
    }

    [Fact]
    public async Task Secrets_also_select_on_type()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.TlsSecret("a-tls"));
        server.Create(new V1Secret { Metadata = new V1ObjectMeta { Name = "plain", NamespaceProperty = "prod" } });

        var tls = await client.CoreV1.ListNamespacedSecretAsync("prod", fieldSelector: "type=kubernetes.io/tls", cancellationToken: TestTimeouts.Token());
        var opaque = await client.CoreV1.ListSecretForAllNamespacesAsync(fieldSelector: "type=Opaque", cancellationToken: TestTimeouts.Token());

        Assert.Equal("a-tls", Assert.Single(tls.Items).Metadata.Name);
        Assert.Equal("plain", Assert.Single(opaque.Items).Metadata.Name);
        Assert.Equal("crt"u8.ToArray(), tls.Items[0].Data["tls.crt"]);
    }

    [Fact]
    public async Task Unsupported_field_selector_is_400_with_the_real_message()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);

        var slices = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", fieldSelector: "foo.bar=1", cancellationToken: TestTimeouts.Token()));
        var secrets = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ListNamespacedSecretAsync("prod", fieldSelector: "spec.x=1", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(400, (int)slices.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(slices.Response.Content);
        Assert.Equal("BadRequest", status.Reason);
        Assert.Equal("\"foo.bar\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", status.Message);
        Assert.Equal(400, (int)secrets.Response.StatusCode);
        Assert.Equal("field label not supported: spec.x", KubernetesJson.Deserialize<V1Status>(secrets.Response.Content).Message);
    }

    [Fact]
    public async Task Watch_turns_selector_transitions_into_added_and_deleted()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var from = server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(
                "prod", labelSelector: "tier=front", resourceVersion: from, onError: onError, cancellationToken: ct));

        server.Create(Labelled("a", "back"));
        server.Replace(Labelled("a", "front"));
        server.Replace(Labelled("a", "front", "10.0.0.2"));
        server.Replace(Labelled("a", "back", "10.0.0.3"));
        server.Replace(Labelled("a", "back", "10.0.0.4"));
        server.Replace(Labelled("a", "front", "10.0.0.5"));
        server.Delete<V1EndpointSlice>("a", "prod");
        server.Create(Labelled("b", "back"));
        server.Delete<V1EndpointSlice>("b", "prod");
        server.Create(Labelled("c", "front"));

        var events = await watch.TakeAsync(6);
        Assert.Equal(
            [WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted, WatchEventType.Added, WatchEventType.Deleted, WatchEventType.Added],
            events.Select(e => e.Type));
        var leaving = events[2].Object;
        Assert.Equal("front", leaving.Metadata.Labels["tier"]);
        Assert.Equal("10.0.0.2", leaving.Endpoints[0].Addresses[0]);
        Assert.Equal(long.Parse(events[1].Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) + 1, long.Parse(leaving.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("c", events[5].Object.Metadata.Name);
    }

    [Fact]
    public async Task Watch_without_resource_version_applies_selectors_to_the_synthetic_events()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        Seed(server);

        await using var watch = new WatchCollector<V1EndpointSlice>((onError, ct) =>
            client.DiscoveryV1.WatchListNamespacedEndpointSliceAsync(
                "prod", labelSelector: "zone=east", fieldSelector: "metadata.name!=c", onError: onError, cancellationToken: ct));

        var first = await watch.NextAsync();
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        server.Create(Labelled("marker", "front", zone: "east"));
        var next = await watch.NextAsync();

        Assert.Equal("a", first.Object.Metadata.Name);
        Assert.Equal("marker", next.Object.Metadata.Name);
    }

    private static void Seed(KubeApiServer server)
    {
        server.Create(Labelled("a", "front", zone: "east"));
        server.Create(Labelled("b", "front", zone: "west"));
        server.Create(Labelled("c", "back", zone: "east"));
        server.Create(Labelled("d", null));
    }

    private static V1EndpointSlice Labelled(string name, string? tier, string address = "10.0.0.1", string? zone = null)
    {
        var slice = Sample.Slice(name, addresses: address);
        if (tier is not null)
        {
            slice.Metadata.Labels["tier"] = tier;
        }

        if (zone is not null)
        {
            slice.Metadata.Labels["zone"] = zone;
        }

        return slice;
    }
}
