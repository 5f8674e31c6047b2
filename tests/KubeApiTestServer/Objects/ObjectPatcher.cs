using System.Text.Json.Nodes;
using KubeApiTestServer.Json;
using KubeApiTestServer.Resources;
using KubeApiTestServer.Storage;

namespace KubeApiTestServer.Objects;

/// <summary>
/// PATCH with a JSON merge patch, or a strategic merge patch (lists with a merge key, such as status conditions, merge
/// by that key: <see cref="StrategicMergePatch"/>). Like the real server, a
/// patch without a resourceVersion applies to the latest state, retrying when a concurrent write intervenes.
/// </summary>
internal static class ObjectPatcher
{
    private const int MaxAttempts = 5;

    public static StoredObject Patch(ObjectService service, ResourceKind kind, string ns, string name, string? subresource, JsonObject patch, bool strategic = false)
    {
        var pinned = !string.IsNullOrEmpty((string?)(patch["metadata"]?["resourceVersion"] as JsonValue));
        for (var attempt = 1; ; attempt++)
        {
            var current = service.Get(kind, ns, name);
            var target = JsonObjects.ToNode(current.Json);
            var patched = (strategic ? StrategicMergePatch.Apply(target, patch) : JsonMergePatch.Apply(target, patch)) as JsonObject
                ?? throw Statuses.BadRequest("the patch did not produce an object");
            JsonObjects.Metadata(patched)["name"] = name;
            if (!pinned)
            {
                JsonObjects.SetResourceVersion(patched, current.ResourceVersion);
            }

            try
            {
                return subresource == "status"
                    ? service.ReplaceStatus(kind, ns, name, patched, allowUnconditional: true)
                    : service.Replace(kind, ns, name, patched, allowUnconditional: true).Stored;
            }
            catch (KubeApiException e) when (!pinned && e.Code == 409 && attempt < MaxAttempts)
            {
                // Someone else wrote in between; re-read and re-apply, as the real patcher does.
            }
        }
    }
}
