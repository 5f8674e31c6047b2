using System.Text.Json.Nodes;

namespace KubeApiTestServer.Json;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, <c>null</c> removes, anything else replaces.</summary>
internal static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }

            var existing = result[name];
            result.Remove(name);
            result[name] = Apply(existing, value);
        }

        return result;
    }
}
