using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 3.1, 3.3 and 3.4: list shape, resourceVersion semantics and pagination.</summary>
public sealed class ListTests
{
    private const string Slices = "/apis/discovery.k8s.io/v1/namespaces/prod/endpointslices";

    [Fact]
    public async Task List_has_the_list_kind_the_snapshot_rv_and_items_without_type_meta()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        server.Create(Sample.Slice("web-a"));

        var (code, body) = await RawHttp.GetJsonAsync(http, Slices);

        Assert.Equal(200, code);
        Assert.Equal("EndpointSliceList", body.GetProperty("kind").GetString());
        Assert.Equal("discovery.k8s.io/v1", body.GetProperty("apiVersion").GetString());
        Assert.Equal(server.ResourceVersion.ToString(CultureInfo.InvariantCulture), body.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        Assert.False(body.GetProperty("metadata").TryGetProperty("continue", out _));
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.False(item.TryGetProperty("kind", out _));
        Assert.False(item.TryGetProperty("apiVersion", out _));
        Assert.Equal("web-a", item.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Empty_list_has_an_empty_items_array()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);

        var (_, body) = await RawHttp.GetJsonAsync(http, "/apis/networking.k8s.io/v1/ingressclasses");

        Assert.Equal(JsonValueKind.Array, body.GetProperty("items").ValueKind);
        Assert.Equal(0, body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Items_are_ordered_by_namespace_then_name()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        foreach (var (ns, name) in new[] { ("prod", "b"), ("dev", "z"), ("prod", "a"), ("alpha", "m") })
        {
            server.Create(Sample.Slice(name, ns));
        }

        var list = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: TestTimeouts.Token());

        Assert.Equal(["alpha/m", "dev/z", "prod/a", "prod/b"], list.Items.Select(i => $"{i.Metadata.NamespaceProperty}/{i.Metadata.Name}"));
    }

    [Fact]
    public async Task Pages_share_one_resource_version_and_ignore_writes_made_between_them()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        foreach (var name in new[] { "e", "c", "a", "d", "b" })
        {
            server.Create(Sample.Slice(name));
        }

        var first = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 2, cancellationToken: TestTimeouts.Token());
        server.Create(Sample.Slice("bb"));
        server.Delete<V1EndpointSlice>("e", "prod");
        var second = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 2, continueParameter: first.Metadata.ContinueProperty, cancellationToken: TestTimeouts.Token());
        var third = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 2, continueParameter: second.Metadata.ContinueProperty, cancellationToken: TestTimeouts.Token());

        Assert.Equal(["a", "b"], first.Items.Select(i => i.Metadata.Name));
        Assert.Equal(["c", "d"], second.Items.Select(i => i.Metadata.Name));
        Assert.Equal(["e"], third.Items.Select(i => i.Metadata.Name));
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.Equal(first.Metadata.ResourceVersion, third.Metadata.ResourceVersion);
        Assert.Equal(3, first.Metadata.RemainingItemCount);
        Assert.Equal(1, second.Metadata.RemainingItemCount);
        Assert.Null(third.Metadata.RemainingItemCount);
        Assert.Null(third.Metadata.ContinueProperty);
    }

    [Fact]
    public async Task Continue_token_is_the_real_base64url_json_format()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-a", ns: "dev"));
        server.Create(Sample.Slice("web-b", ns: "prod"));

        var page = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(limit: 1, cancellationToken: TestTimeouts.Token());
        var token = page.Metadata.ContinueProperty;

        Assert.DoesNotContain("=", token, StringComparison.Ordinal);
        var json = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token));
        Assert.Equal($$"""{"v":"meta.k8s.io/v1","rv":{{page.Metadata.ResourceVersion}},"start":"dev/web-a\u0000"}""", json);
    }

    [Fact]
    public async Task Selectors_with_limit_may_return_short_pages_and_the_client_loop_still_sees_everything()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        foreach (var (name, service) in new[] { ("a", "web"), ("b", "api"), ("c", "api"), ("d", "web"), ("e", "api") })
        {
            server.Create(Sample.Slice(name, service: service));
        }

        var names = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync(
                "prod", labelSelector: "kubernetes.io/service-name=web", limit: 1, continueParameter: token, cancellationToken: TestTimeouts.Token());
            Assert.Null(page.Metadata.RemainingItemCount);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(["a", "d"], names);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Malformed_continue_token_is_400()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        var wrongVersion = System.Buffers.Text.Base64Url.EncodeToString("""{"v":"x/v9","rv":3,"start":"a"}"""u8);

        var (code, body) = await RawHttp.GetJsonAsync(http, $"{Slices}?limit=1&continue=%%%not-base64");
        var (code2, body2) = await RawHttp.GetJsonAsync(http, $"{Slices}?limit=1&continue={wrongVersion}");

        Assert.Equal(400, code);
        Assert.Equal("BadRequest", body.GetProperty("reason").GetString());
        Assert.StartsWith("invalid continue token: continue key is not valid", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, code2);
        Assert.Equal("invalid continue token: continue key is not valid: server does not recognize this encoded version", body2.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Continue_token_older_than_the_ttl_is_410_with_an_inconsistent_continuation()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        server.ContinueTokenTtl = TimeSpan.FromMinutes(1);
        using var client = TestServer.Client(server);
        foreach (var name in new[] { "a", "b", "c" })
        {
            server.Create(Sample.Slice(name));
        }

        var first = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 1, cancellationToken: TestTimeouts.Token());
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 1, continueParameter: first.Metadata.ContinueProperty, cancellationToken: TestTimeouts.Token()));

        Assert.Equal(410, (int)error.Response.StatusCode);
        var status = JsonDocument.Parse(error.Response.Content).RootElement;
        Assert.Equal("Expired", status.GetProperty("reason").GetString());
        Assert.Equal(
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
            status.GetProperty("message").GetString());
        var fresh = status.GetProperty("metadata").GetProperty("continue").GetString();
        var rest = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", continueParameter: fresh, cancellationToken: TestTimeouts.Token());
        Assert.Equal(["b", "c"], rest.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task Continue_token_whose_resource_version_was_compacted_is_410()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("a"));
        server.Create(Sample.Slice("b"));
        var first = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 1, cancellationToken: TestTimeouts.Token());
        server.Create(Sample.Slice("c"));
        server.CompactHistory();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 1, continueParameter: first.Metadata.ContinueProperty, cancellationToken: TestTimeouts.Token()));

        Assert.Equal(410, (int)error.Response.StatusCode);
    }

    [Fact]
    public async Task Continue_with_a_resource_version_is_400()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("a"));
        server.Create(Sample.Slice("b"));
        var first = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 1, cancellationToken: TestTimeouts.Token());

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.DiscoveryV1.ListNamespacedEndpointSliceAsync(
            "prod", limit: 1, continueParameter: first.Metadata.ContinueProperty, resourceVersion: first.Metadata.ResourceVersion, cancellationToken: TestTimeouts.Token()));

        Assert.Equal(400, (int)error.Response.StatusCode);
        Assert.Contains("specifying resource version is not allowed when using continue", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_with_a_resource_version_lists_exactly_that_snapshot()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("old"));
        server.Create(Sample.Slice("gone"));
        var then = server.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        server.Delete<V1EndpointSlice>("gone", "prod");
        server.Create(Sample.Slice("new"));
        server.Replace(Sample.Slice("old", addresses: "10.7.7.7"));

        var exact = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", limit: 10, resourceVersion: then, cancellationToken: TestTimeouts.Token());
        var exactMatch = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", resourceVersion: then, resourceVersionMatch: "Exact", cancellationToken: TestTimeouts.Token());
        var notOlder = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", resourceVersion: then, cancellationToken: TestTimeouts.Token());
        var any = await client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", resourceVersion: "0", limit: 10, cancellationToken: TestTimeouts.Token());

        foreach (var list in new[] { exact, exactMatch })
        {
            Assert.Equal(then, list.Metadata.ResourceVersion);
            Assert.Equal(["gone", "old"], list.Items.Select(i => i.Metadata.Name));
            Assert.Equal("10.1.2.3", list.Items[1].Endpoints[0].Addresses[0]);
        }

        foreach (var list in new[] { notOlder, any })
        {
            Assert.Equal(server.ResourceVersion.ToString(CultureInfo.InvariantCulture), list.Metadata.ResourceVersion);
            Assert.Equal(["new", "old"], list.Items.Select(i => i.Metadata.Name));
        }
    }

    [Fact]
    public async Task Exact_list_of_a_compacted_resource_version_is_410()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("a"));
        var then = server.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        server.Create(Sample.Slice("b"));
        server.CompactHistory();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", resourceVersion: then, resourceVersionMatch: "Exact", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(410, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Expired", status.Reason);
        Assert.Equal("The resourceVersion for the provided list is too old.", status.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(5)]
    public async Task Resource_version_from_the_future_is_504_too_large(int? limit)
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", resourceVersion: "999", limit: limit, cancellationToken: TestTimeouts.Token()));

        Assert.Equal(504, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Timeout", status.Reason);
        Assert.Equal($"Timeout: Too large resource version: 999, current: {server.ResourceVersion}", status.Message);
        Assert.Equal(1, status.Details.RetryAfterSeconds);
        Assert.Equal("ResourceVersionTooLarge", Assert.Single(status.Details.Causes).Reason);
    }

    [Fact]
    public async Task A_future_resource_version_is_served_once_it_arrives_within_the_wait_knob()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        server.TooLargeResourceVersionWait = TimeSpan.FromSeconds(3);
        using var client = TestServer.Client(server);
        var next = (server.ResourceVersion + 1).ToString(CultureInfo.InvariantCulture);

        var pending = client.DiscoveryV1.ListNamespacedEndpointSliceAsync("prod", resourceVersion: next, cancellationToken: TestTimeouts.Token());
        server.Create(Sample.Slice("a"));
        var list = await pending;

        Assert.Equal(next, list.Metadata.ResourceVersion);
        Assert.Single(list.Items);
    }

    [Theory]
    [InlineData("resourceVersionMatch=Exact", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("resourceVersionMatch=Exact&resourceVersion=0", "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")]
    [InlineData("resourceVersionMatch=Bogus&resourceVersion=1", "resourceVersionMatch: Unsupported value: \"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"")]
    [InlineData("resourceVersionMatch=NotOlderThan&resourceVersion=1&continue=abc", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided")]
    [InlineData("sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list")]
    [InlineData("watch=false&sendInitialEvents=false", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list")]
    public async Task Invalid_list_options_are_422(string query, string error)
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);

        var (code, body) = await RawHttp.GetJsonAsync(http, $"{Slices}?{query}");

        Assert.Equal(422, code);
        Assert.Equal("Invalid", body.GetProperty("reason").GetString());
        Assert.Equal(422, body.GetProperty("code").GetInt32());
        Assert.Equal("ListOptions", body.GetProperty("details").GetProperty("kind").GetString());
        Assert.Equal($"ListOptions.meta.k8s.io \"\" is invalid: {error}", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_client_sends_watch_false_on_lists_and_gets_a_list()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("a"));

        var response = await client.DiscoveryV1.ListNamespacedEndpointSliceWithHttpMessagesAsync("prod", watch: false, cancellationToken: TestTimeouts.Token());

        Assert.Single(response.Body.Items);
        Assert.Contains("watch=false", server.Requests[^1].Query, StringComparison.Ordinal);
        Assert.False(server.Requests[^1].IsWatch);
    }
}
