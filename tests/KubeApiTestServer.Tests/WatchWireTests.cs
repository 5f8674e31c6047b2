using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 4.3: the bytes of a watch stream, checked with a raw HttpClient.</summary>
public sealed class WatchWireTests
{
    private const string Slices = "/apis/discovery.k8s.io/v1/namespaces/prod/endpointslices";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    [Fact]
    public async Task Headers_are_flushed_before_the_first_event_chunked_without_content_length()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);

        using var response = await RawHttp.OpenStreamAsync(http, $"{Slices}?watch=true&resourceVersion={server.ResourceVersion}", TestTimeouts.Token());

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
    }

    [Fact]
    public async Task Each_event_is_one_compact_json_line_flushed_on_its_own()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        var slice = Sample.Slice("web-a");
        slice.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "two\nlines and \"quotes\"" };
        server.Create(slice);

        using var response = await RawHttp.OpenStreamAsync(http, $"{Slices}?watch=true", TestTimeouts.Token());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Token()));
        var first = await reader.ReadLineAsync(TestTimeouts.Token());
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        server.Create(Sample.Slice("web-b"));
        var second = await reader.ReadLineAsync(TestTimeouts.Token());

        foreach (var line in new[] { first!, second! })
        {
            var parsed = JsonNode.Parse(line)!;
            Assert.Equal(parsed.ToJsonString(Compact), line);
            Assert.Equal(["type", "object"], parsed.AsObject().Select(p => p.Key));
            Assert.Equal("EndpointSlice", (string?)parsed["object"]!["kind"]);
            Assert.Equal("discovery.k8s.io/v1", (string?)parsed["object"]!["apiVersion"]);
        }

        Assert.Equal("two\nlines and \"quotes\"", (string?)JsonNode.Parse(first!)!["object"]!["metadata"]!["annotations"]!["note"]);
        Assert.StartsWith("""{"type":"ADDED","object":{"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1","metadata":{""", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("watch=", true)]
    [InlineData("watch=true", true)]
    [InlineData("watch=1", true)]
    [InlineData("watch=yes", true)]
    [InlineData("watch=false", false)]
    [InlineData("watch=False", false)]
    [InlineData("watch=0", false)]
    [InlineData("", false)]
    public async Task The_watch_parameter_is_parsed_like_go_booleans(string query, bool isWatch)
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        server.Create(Sample.Slice("web-a"));

        using var response = await RawHttp.OpenStreamAsync(http, $"{Slices}?{query}", TestTimeouts.Token());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Token()));
        var first = JsonNode.Parse((await reader.ReadLineAsync(TestTimeouts.Token()))!)!;

        if (isWatch)
        {
            Assert.Equal("ADDED", (string?)first["type"]);
            Assert.Null(response.Content.Headers.ContentLength);
        }
        else
        {
            Assert.Equal("EndpointSliceList", (string?)first["kind"]);
            Assert.NotNull(response.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task The_legacy_watch_path_prefix_is_a_watch()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        server.Create(Sample.Slice("web-a"));

        using var response = await RawHttp.OpenStreamAsync(http, "/apis/discovery.k8s.io/v1/watch/namespaces/prod/endpointslices", TestTimeouts.Token());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Token()));

        Assert.Equal("ADDED", (string?)JsonNode.Parse((await reader.ReadLineAsync(TestTimeouts.Token()))!)!["type"]);
    }

    [Fact]
    public async Task Too_old_resource_version_is_a_200_with_one_expired_error_event_then_the_end()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        for (var i = 0; i < 4; i++)
        {
            server.Create(Sample.Slice($"web-{i}"));
        }

        server.CompactHistory();

        using var response = await RawHttp.OpenStreamAsync(http, $"{Slices}?watch=true&resourceVersion=2", TestTimeouts.Token());
        var lines = await RawHttp.ReadLinesAsync(response, TestTimeouts.Token());

        Assert.Equal(200, (int)response.StatusCode);
        var line = Assert.Single(lines);
        Assert.Equal(
            $$$"""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 2 ({{{server.ResourceVersion}}})","reason":"Expired","code":410}}""",
            line);
    }

    [Fact]
    public async Task Future_resource_version_is_a_200_with_one_timeout_error_event()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);

        using var response = await RawHttp.OpenStreamAsync(http, $"{Slices}?watch=true&resourceVersion=1000", TestTimeouts.Token());
        var lines = await RawHttp.ReadLinesAsync(response, TestTimeouts.Token());

        var error = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.Equal("ERROR", error.GetProperty("type").GetString());
        var status = error.GetProperty("object");
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal(504, status.GetProperty("code").GetInt32());
        Assert.Equal("Timeout", status.GetProperty("reason").GetString());
        Assert.Equal($"Timeout: Too large resource version: 1000, current: {server.ResourceVersion}", status.GetProperty("message").GetString());
        Assert.Equal("ResourceVersionTooLarge", status.GetProperty("details").GetProperty("causes")[0].GetProperty("reason").GetString());
        Assert.Equal(1, status.GetProperty("details").GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task Bookmarks_come_every_interval_and_just_before_the_deadline_with_only_the_resource_version()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        server.BookmarkInterval = TimeSpan.FromSeconds(10);
        using var http = RawHttp.Client(server);
        var from = server.ResourceVersion;

        using var response = await RawHttp.OpenStreamAsync(
            http, $"{Slices}?watch=true&allowWatchBookmarks=true&timeoutSeconds=25&resourceVersion={from}", TestTimeouts.Token());
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        time.Advance(TimeSpan.FromSeconds(10));
        server.Create(Sample.Slice("web-a"));
        time.Advance(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(5));
        var lines = await RawHttp.ReadLinesAsync(response, TestTimeouts.Token());

        Assert.Equal(4, lines.Count);
        Assert.Equal(Bookmark(from), lines[0]);
        Assert.Contains("\"type\":\"ADDED\"", lines[1], StringComparison.Ordinal);
        Assert.Equal(Bookmark(from + 1), lines[2]);
        Assert.Equal(lines[2], lines[3]);
    }

    [Fact]
    public async Task Bookmarks_are_not_sent_unless_allowed()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        server.BookmarkInterval = TimeSpan.FromSeconds(1);
        using var http = RawHttp.Client(server);
        server.Create(Sample.Slice("web-a"));

        using var response = await RawHttp.OpenStreamAsync(http, $"{Slices}?watch=true&timeoutSeconds=5", TestTimeouts.Token());
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        time.Advance(TimeSpan.FromSeconds(5));
        var lines = await RawHttp.ReadLinesAsync(response, TestTimeouts.Token());

        Assert.Single(lines);
        Assert.Contains("\"type\":\"ADDED\"", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_watch_timeout_applies_when_the_client_gives_none()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        server.DefaultWatchTimeout = TimeSpan.FromSeconds(42);
        using var http = RawHttp.Client(server);

        using var response = await RawHttp.OpenStreamAsync(http, $"{Slices}?watch=true&resourceVersion={server.ResourceVersion}", TestTimeouts.Token());
        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        time.Advance(TimeSpan.FromSeconds(41));
        Assert.Equal(1, server.ActiveWatchCount);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(await RawHttp.ReadLinesAsync(response, TestTimeouts.Token()));
        await server.WaitForWatchesAtMostAsync(0, cancellationToken: TestTimeouts.Token());
    }

    [Fact]
    public async Task Streaming_list_sends_the_state_then_an_initial_events_end_bookmark_then_changes()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        server.Create(Sample.Slice("web-b"));
        server.Create(Sample.Slice("web-a"));
        var synced = server.ResourceVersion;

        using var response = await RawHttp.OpenStreamAsync(
            http, $"{Slices}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true", TestTimeouts.Token());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Token()));
        var lines = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
        {
            lines.Add(JsonNode.Parse((await reader.ReadLineAsync(TestTimeouts.Token()))!)!);
        }

        await server.WaitForWatchesAsync(1, cancellationToken: TestTimeouts.Token());
        server.Create(Sample.Slice("web-c"));
        lines.Add(JsonNode.Parse((await reader.ReadLineAsync(TestTimeouts.Token()))!)!);

        Assert.Equal(["ADDED", "ADDED", "BOOKMARK", "ADDED"], lines.Select(l => (string?)l["type"]));
        Assert.Equal(["web-a", "web-b"], lines.Take(2).Select(l => (string?)l["object"]!["metadata"]!["name"]));
        var bookmark = lines[2]["object"]!["metadata"]!;
        Assert.Equal(synced.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)bookmark["resourceVersion"]);
        Assert.Equal("true", (string?)bookmark["annotations"]!["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task Streaming_list_is_refused_with_422_when_the_watch_list_gate_is_off()
    {
        await using var server = await TestServer.StartAsync();
        server.WatchListEnabled = false;
        using var http = RawHttp.Client(server);

        var (code, body) = await RawHttp.GetJsonAsync(http, $"{Slices}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan");

        Assert.Equal(422, code);
        Assert.Equal(
            "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
            body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Watch_with_resource_version_match_but_no_send_initial_events_is_422()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);

        var (code, body) = await RawHttp.GetJsonAsync(http, $"{Slices}?watch=true&resourceVersionMatch=NotOlderThan&resourceVersion=1");

        Assert.Equal(422, code);
        Assert.Equal("Invalid", body.GetProperty("reason").GetString());
        Assert.Equal(
            "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
            body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_watch_on_an_item_path_follows_only_that_object()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        server.Create(Sample.Slice("web-a"));
        server.Create(Sample.Slice("web-b"));

        using var response = await RawHttp.OpenStreamAsync(http, $"{Slices}/web-b?watch=true&timeoutSeconds=1", TestTimeouts.Token());
        var lines = await RawHttp.ReadLinesAsync(response, TestTimeouts.Token());

        Assert.Equal("web-b", (string?)JsonNode.Parse(Assert.Single(lines))!["object"]!["metadata"]!["name"]);
    }

    private static string Bookmark(long resourceVersion) =>
        "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"EndpointSlice\",\"apiVersion\":\"discovery.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\""
        + resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}}}";
}
