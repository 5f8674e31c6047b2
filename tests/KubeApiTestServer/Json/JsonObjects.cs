using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeApiTestServer.Resources;

namespace KubeApiTestServer.Json;

/// <summary>Small helpers over System.Text.Json for the generic object handling of the server.</summary>
internal static class JsonObjects
{
    /// <summary>Compact output that escapes quotes as <c>\"</c> and keeps UTF-8 text, like Go's encoder.</summary>
    private static readonly JsonWriterOptions CompactWriter = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    public static JsonObject ToNode(JsonElement element) =>
        JsonNode.Parse(element.GetRawText())?.AsObject() ?? throw new InvalidOperationException("Not a JSON object.");

    /// <summary>Orders the top-level properties as the real server does: kind, apiVersion, metadata, then the rest.</summary>
    public static JsonObject Normalize(ResourceKind kind, JsonObject source)
    {
        var result = new JsonObject { ["kind"] = kind.Kind, ["apiVersion"] = kind.ApiVersion };
        var metadata = source["metadata"];
        source.Remove("metadata");
        result["metadata"] = metadata ?? new JsonObject();
        foreach (var name in source.Select(p => p.Key).ToList())
        {
            if (name is "kind" or "apiVersion")
            {
                continue;
            }

            var value = source[name];
            source.Remove(name);
            result[name] = value;
        }

        return result;
    }

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static void SetResourceVersion(JsonObject obj, long resourceVersion) =>
        Metadata(obj)["resourceVersion"] = FormatRv(resourceVersion);

    public static JsonElement WithResourceVersion(JsonElement element, long resourceVersion)
    {
        var node = ToNode(element);
        SetResourceVersion(node, resourceVersion);
        return ToElement(node);
    }

    public static string FormatRv(long resourceVersion) => resourceVersion.ToString(CultureInfo.InvariantCulture);

    public static string? GetString(JsonElement element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var segment in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => current.GetRawText(),
            _ => null,
        };
    }

    public static IReadOnlyDictionary<string, string> GetLabels(JsonElement element)
    {
        if (element.TryGetProperty("metadata", out var metadata)
            && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("labels", out var labels)
            && labels.ValueKind == JsonValueKind.Object)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in labels.EnumerateObject())
            {
                result[label.Name] = label.Value.ValueKind == JsonValueKind.String ? label.Value.GetString() ?? "" : label.Value.GetRawText();
            }

            return result;
        }

        return new Dictionary<string, string>();
    }

    /// <summary>Writes an object, leaving out <c>kind</c> and <c>apiVersion</c> when it is a list item.</summary>
    public static void WriteObject(Utf8JsonWriter writer, JsonElement element, bool includeTypeMeta)
    {
        if (includeTypeMeta)
        {
            element.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals("kind") || property.NameEquals("apiVersion"))
            {
                continue;
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>Serialises compactly, on one line, as Go's <c>json.Encoder</c> does.</summary>
    public static byte[] ToCompactBytes(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
