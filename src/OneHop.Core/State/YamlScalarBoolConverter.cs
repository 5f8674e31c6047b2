using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneHop.Core.State;

/// <summary>
/// Reads a boolean from a JSON string as well as from true/false: <see cref="YamlObjectJson"/> hands every YAML scalar
/// over as a string, and YamlDotNet reads <c>ready: false</c>, <c>ready: "false"</c> and <c>ready: False</c> alike.
/// </summary>
internal sealed class YamlScalarBoolConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
        _ => throw new JsonException($"expected true or false, not {(reader.TokenType == JsonTokenType.String ? $"\"{reader.GetString()}\"" : reader.TokenType)}"),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
