using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneHop.Core.Configuration;

/// <summary>A <see cref="ListenAddress"/> in JSON (admin API, golden files) is written as in the config: <c>ADDR:PORT</c>.</summary>
internal sealed class ListenAddressJsonConverter : JsonConverter<ListenAddress>
{
    public override ListenAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ListenAddress.Parse(reader.GetString() ?? string.Empty);

    public override void Write(Utf8JsonWriter writer, ListenAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
