using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneHop.Core.Configuration;

/// <summary>
/// A <see cref="TimeSpan"/> in JSON (admin API, <c>validate --json</c>, golden files) is written as annotations and the
/// config take it, <c>10s</c> or <c>1m30s</c>, rather than .NET's <c>00:00:10</c>.
/// </summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Durations.TryParse(reader.GetString(), out var value) ? value : throw new JsonException($"'{reader.GetString()}' is not a duration such as 10s");

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteStringValue(Durations.Format(value));
}
