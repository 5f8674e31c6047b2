using System.Buffers;
using System.Globalization;
using System.Text;

namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>
/// Writes a record as one logfmt line: <c>time=... type=http client=... status=200 ...</c>, the same keys as the JSON
/// format; a value with a space, <c>"</c>, <c>=</c> or a control character is quoted with <c>\"</c>, <c>\\</c> and
/// <c>\n</c>-style escapes, an empty one is <c>""</c>. Reused by the writer task for every line.
/// </summary>
internal sealed class TextAccessLogFields(IBufferWriter<byte> output) : IAccessLogFields
{
    private readonly StringBuilder _line = new(512);

    public void Write(AccessLogRecord record)
    {
        _line.Clear();
        _line.Append("time=").Append(record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        record.WriteTo(this);
        _line.Append('\n');
        foreach (var chunk in _line.GetChunks())
        {
            Encoding.UTF8.GetBytes(chunk.Span, output);
        }
    }

    public void String(string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        _line.Append(' ').Append(name).Append('=');
        if (value.Length > 0 && !value.AsSpan().ContainsAny(NeedsQuotes))
        {
            _line.Append(value);
            return;
        }

        _line.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => _line.Append("\\\""),
                '\\' => _line.Append("\\\\"),
                '\n' => _line.Append("\\n"),
                '\r' => _line.Append("\\r"),
                '\t' => _line.Append("\\t"),
                _ when char.IsControl(c) => _line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => _line.Append(c),
            };
        }

        _line.Append('"');
    }

    public void Number(string name, long value) => _line.Append(' ').Append(name).Append('=').Append(value);

    public void Seconds(string name, double value) =>
        _line.Append(' ').Append(name).Append('=').Append(Math.Round(value, 6).ToString("0.######", CultureInfo.InvariantCulture));

    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create(
        " \"=\\" + new string([.. Enumerable.Range(0, 32).Select(i => (char)i), (char)127]));
}
