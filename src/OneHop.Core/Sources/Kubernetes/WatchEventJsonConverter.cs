using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// Reads one line of a watch (<c>{"type": "ADDED", "object": {...}}</c>) into KubernetesClient's
/// <see cref="Watcher{T}.WatchEvent"/>, the object through the options' metadata for <typeparamref name="T"/>.
/// KubernetesClient's generated JSON context has no entry for the event type itself, and its fallback, reflection, finds
/// no constructor in a Native AOT build (trimmed): every watch event failed there.
/// </summary>
internal sealed class WatchEventJsonConverter<T> : JsonConverter<Watcher<T>.WatchEvent>
{
    public override Watcher<T>.WatchEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"a watch event is an object, not {reader.TokenType}");
        }

        var watchEvent = new Watcher<T>.WatchEvent();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "type":
                    // As KubernetesClient's own enum converter reads it: the name, any case (ADDED, BOOKMARK).
                    var type = reader.GetString();
                    watchEvent.Type = Enum.TryParse<WatchEventType>(type, ignoreCase: true, out var parsed) && !int.TryParse(type, out _)
                        ? parsed
                        : throw new JsonException($"unknown watch event type \"{type}\"");
                    break;
                case "object":
                    watchEvent.Object = JsonSerializer.Deserialize(ref reader, Info(options))!;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return watchEvent;
    }

    public override void Write(Utf8JsonWriter writer, Watcher<T>.WatchEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("type", value.Type.ToString().ToUpperInvariant());
        writer.WritePropertyName("object");
        JsonSerializer.Serialize(writer, value.Object, Info(options));
        writer.WriteEndObject();
    }

    private static JsonTypeInfo<T> Info(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
