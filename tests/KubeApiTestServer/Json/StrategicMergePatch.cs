using System.Text.Json.Nodes;

namespace KubeApiTestServer.Json;

/// <summary>
/// The part of Kubernetes' strategic merge patch the served kinds need: a JSON merge patch, except that lists with a
/// patch merge key (<c>conditions</c>, keyed by <c>type</c>, as in Pod and Node status) merge entry by entry, and an
/// entry carrying <c>"$patch": "delete"</c> is removed. Any other list replaces, as in a merge patch.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal) { ["conditions"] = "type" };

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
            result[name] = MergeKeys.TryGetValue(name, out var key) && value is JsonArray entries
                ? MergeList(existing as JsonArray, entries, key)
                : Apply(existing, value);
        }

        return result;
    }

    private static JsonArray MergeList(JsonArray? current, JsonArray patch, string key)
    {
        var merged = new JsonArray([.. (current ?? []).Select(n => n?.DeepClone())]);
        foreach (var entry in patch.OfType<JsonObject>())
        {
            var id = entry[key]?.ToJsonString();
            var index = merged.Select((n, i) => (n, i)).FirstOrDefault(p => p.n?[key]?.ToJsonString() == id, (null, -1)).Item2;
            if ((string?)(entry["$patch"] as JsonValue) == "delete")
            {
                if (index >= 0)
                {
                    merged.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                merged[index] = Apply(merged[index]?.DeepClone(), entry);
            }
            else
            {
                merged.Add(entry.DeepClone());
            }
        }

        return merged;
    }
}
