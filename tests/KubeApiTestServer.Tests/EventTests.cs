using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary><c>events.k8s.io/v1</c> Events: create, get, list with field selectors, series patches, and the real validation.</summary>
public sealed class EventTests
{
    [Fact]
    public async Task An_event_is_created_read_and_listed_by_the_object_it_regards()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        await client.EventsV1.CreateNamespacedEventAsync(Event("web.1", "web", "Warning", "UnknownSecret"), "prod", cancellationToken: TestTimeouts.Token());
        await client.EventsV1.CreateNamespacedEventAsync(Event("api.1", "api", "Warning", "UnknownService"), "prod", cancellationToken: TestTimeouts.Token());

        var read = await client.EventsV1.ReadNamespacedEventAsync("web.1", "prod", cancellationToken: TestTimeouts.Token());
        var listed = await client.EventsV1.ListNamespacedEventAsync("prod", fieldSelector: "regarding.name=web,regarding.kind=Ingress,type=Warning", cancellationToken: TestTimeouts.Token());

        Assert.Equal(("UnknownSecret", "onehop.dev/onehop", "uid-web"), (read.Reason, read.ReportingController, read.Regarding.Uid));
        Assert.Equal("web.1", Assert.Single(listed.Items).Metadata.Name);
        Assert.Equal(2, server.List<Eventsv1Event>("prod").Count);
    }

    [Fact]
    public async Task A_merge_patch_moves_the_series_on()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        await client.EventsV1.CreateNamespacedEventAsync(Event("web.1", "web", "Warning", "UnknownSecret"), "prod", cancellationToken: TestTimeouts.Token());

        var patch = new V1Patch("""{"series":{"count":2,"lastObservedTime":"2026-01-02T03:05:00.000001Z"}}""", V1Patch.PatchType.MergePatch);
        var patched = await client.EventsV1.PatchNamespacedEventAsync(patch, "web.1", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal(2, patched.Series.Count);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 5, 0, DateTimeKind.Utc).AddTicks(10), patched.Series.LastObservedTime.ToUniversalTime());
        Assert.Equal("UnknownSecret", server.Get<Eventsv1Event>("web.1", "prod")!.Reason);
    }

    [Fact]
    public async Task A_new_event_without_the_fields_the_real_server_requires_is_refused_with_each_field()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var incomplete = Event("web.1", "web", "Bad", "");
        incomplete.EventTime = null;
        incomplete.ReportingController = null;
        incomplete.Action = null;
        incomplete.Note = new string('x', 1025);
        incomplete.Series = new Eventsv1EventSeries { Count = 1, LastObservedTime = DateTime.UtcNow };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.EventsV1.CreateNamespacedEventAsync(incomplete, "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal(
            ["action", "eventTime", "message", "reason", "reportingController", "series.count", "type"],
            status.Details.Causes.Select(c => c.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_event_about_a_cluster_scoped_object_lives_in_default()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var gatewayClass = Event("onehop.1", "onehop", "Warning", "InvalidGatewayListener");
        gatewayClass.Regarding = new V1ObjectReference { ApiVersion = "gateway.networking.k8s.io/v1", Kind = "GatewayClass", Name = "onehop", Uid = "uid-class" };

        await client.EventsV1.CreateNamespacedEventAsync(gatewayClass, "default", cancellationToken: TestTimeouts.Token());
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.EventsV1.CreateNamespacedEventAsync(gatewayClass, "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains("involvedObject.namespace", error.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_may_change_the_series_but_not_what_the_event_says()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        await client.EventsV1.CreateNamespacedEventAsync(Event("web.1", "web", "Warning", "UnknownSecret"), "prod", cancellationToken: TestTimeouts.Token());

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.EventsV1.PatchNamespacedEventAsync(
            new V1Patch("""{"note":"something else","series":{"count":1,"lastObservedTime":"2026-01-02T03:05:00.000001Z"}}""", V1Patch.PatchType.MergePatch),
            "web.1",
            "prod",
            cancellationToken: TestTimeouts.Token()));

        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal(["message", "series.count"], status.Details.Causes.Select(c => c.Field).Order(StringComparer.Ordinal));
    }

    private static Eventsv1Event Event(string name, string ingress, string type, string reason) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        EventTime = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(10),
        Type = type,
        Reason = reason,
        Note = "spec.tls[0].secretName: Secret prod/missing does not exist",
        Action = "Routing",
        ReportingController = "onehop.dev/onehop",
        ReportingInstance = "onehop-abcde",
        Regarding = new V1ObjectReference { ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", NamespaceProperty = "prod", Name = ingress, Uid = $"uid-{ingress}" },
    };
}
