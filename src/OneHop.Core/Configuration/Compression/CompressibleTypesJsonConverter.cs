using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneHop.Core.Configuration.Compression;

/// <summary>Writes <see cref="CompressibleTypes"/> as its list of types (/api/routes); never read back.</summary>
internal sealed class CompressibleTypesJsonConverter : JsonConverter<CompressibleTypes>
{
    public override CompressibleTypes Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("compressible types are written, not read");

    public override void Write(Utf8JsonWriter writer, CompressibleTypes value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var entry in value.Entries)
        {
            writer.WriteStringValue(entry);
        }

        writer.WriteEndArray();
    }
}
