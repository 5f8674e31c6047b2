using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeApiTestServer.Json;
using KubeApiTestServer.Resources;
using KubeApiTestServer.Selectors;
using KubeApiTestServer.Storage;

namespace KubeApiTestServer.Watching;

/// <summary>
/// Writes watch events as Go's <c>json.Encoder</c> does: one compact JSON <c>WatchEvent</c> per line, ending in
/// <c>\n</c>, flushed after each. Applies the watch's selectors, turning selector transitions into ADDED/DELETED.
/// </summary>
internal sealed class WatchEventWriter(Stream body, ResourceKind kind, ObjectFilter filter)
{
    public const string InitialEventsEndAnnotation = "k8s.io/initial-events-end";

    public Task WriteAddedAsync(StoredObject stored, CancellationToken cancellationToken) =>
        filter.Matches(stored) ? WriteAsync(WatchEventType.Added, stored.Json, cancellationToken) : Task.CompletedTask;

    public Task WriteChangeAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        var now = filter.Matches(change.Object);
        var before = change.Previous is not null && filter.Matches(change.Previous);
        return change.Type switch
        {
            WatchEventType.Added when now => WriteAsync(WatchEventType.Added, change.Object.Json, cancellationToken),
            WatchEventType.Modified when now && before => WriteAsync(WatchEventType.Modified, change.Object.Json, cancellationToken),
            WatchEventType.Modified when now => WriteAsync(WatchEventType.Added, change.Object.Json, cancellationToken),
            WatchEventType.Modified when before => WriteAsync(
                WatchEventType.Deleted,
                JsonObjects.WithResourceVersion(change.Previous!.Json, change.ResourceVersion),
                cancellationToken),
            WatchEventType.Deleted when before => WriteAsync(WatchEventType.Deleted, change.Object.Json, cancellationToken),
            _ => Task.CompletedTask,
        };
    }

    public Task WriteBookmarkAsync(long resourceVersion, bool initialEventsEnd, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject { ["resourceVersion"] = JsonObjects.FormatRv(resourceVersion) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { [InitialEventsEndAnnotation] = "true" };
        }

        var bookmark = new JsonObject { ["kind"] = kind.Kind, ["apiVersion"] = kind.ApiVersion, ["metadata"] = metadata };
        return WriteAsync(WatchEventType.Bookmark, JsonObjects.ToElement(bookmark), cancellationToken);
    }

    public Task WriteErrorAsync(KubeApiException error, CancellationToken cancellationToken) =>
        WriteAsync(WatchEventType.Error, JsonObjects.ToElement(error.StatusJson), cancellationToken);

    private async Task WriteAsync(WatchEventType type, JsonElement obj, CancellationToken cancellationToken)
    {
        var line = JsonObjects.ToCompactBytes(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", TypeName(type));
            writer.WritePropertyName("object");
            obj.WriteTo(writer);
            writer.WriteEndObject();
        });
        var buffer = new byte[line.Length + 1];
        line.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        await body.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string TypeName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };
}
