using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>Writes a record as one JSON object and a newline; reused by the writer task for every line.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "a Utf8JsonWriter over a buffer holds nothing to release")]
internal sealed class JsonAccessLogFields : IAccessLogFields
{
    private readonly Utf8JsonWriter _json;

    public JsonAccessLogFields(IBufferWriter<byte> output)
    {
        // Relaxed escaping keeps paths and user agents readable; the output is a log file, not HTML.
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
        Output = output;
    }

    private IBufferWriter<byte> Output { get; }

    public void Write(AccessLogRecord record)
    {
        _json.Reset(Output);
        _json.WriteStartObject();
        _json.WriteString("time", record.Time.UtcDateTime);
        record.WriteTo(this);
        _json.WriteEndObject();
        _json.Flush();
        Output.Write("\n"u8);
    }

    public void String(string name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
        }
    }

    public void Number(string name, long value) => _json.WriteNumber(name, value);

    public void Seconds(string name, double value) => _json.WriteNumber(name, Math.Round(value, 6));
}
