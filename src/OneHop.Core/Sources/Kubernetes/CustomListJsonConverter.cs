using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// Reads and writes a <see cref="CustomList{T}"/> (a LIST of Gateway API objects) through the options' metadata for
/// its parts, so that no reflection is needed: a Native AOT build has none (its trimmed reflection fallback found no
/// constructor, and every Gateway API list failed).
/// </summary>
internal sealed class CustomListJsonConverter<T> : JsonConverter<CustomList<T>>
{
    public override CustomList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"a list is an object, not {reader.TokenType}");
        }

        var list = new CustomList<T>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "apiVersion":
                    list.ApiVersion = reader.GetString() ?? string.Empty;
                    break;
                case "kind":
                    list.Kind = reader.GetString() ?? string.Empty;
                    break;
                case "metadata":
                    list.Metadata = JsonSerializer.Deserialize(ref reader, Info<V1ListMeta>(options)) ?? new();
                    break;
                case "items":
                    list.Items = Items(ref reader, options);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return list;
    }

    private static List<T> Items(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        var items = new List<T>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return items;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"a list's items are an array, not {reader.TokenType}");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(JsonSerializer.Deserialize(ref reader, Info<T>(options))!);
        }

        return items;
    }

    public override void Write(Utf8JsonWriter writer, CustomList<T> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("apiVersion", value.ApiVersion);
        writer.WriteString("kind", value.Kind);
        writer.WritePropertyName("metadata");
        JsonSerializer.Serialize(writer, value.Metadata, Info<V1ListMeta>(options));
        writer.WritePropertyName("items");
        writer.WriteStartArray();
        foreach (var item in value.Items)
        {
            JsonSerializer.Serialize(writer, item, Info<T>(options));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static JsonTypeInfo<TPart> Info<TPart>(JsonSerializerOptions options) => (JsonTypeInfo<TPart>)options.GetTypeInfo(typeof(TPart));
}
