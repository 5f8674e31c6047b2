using System.Text;
using OneHop.Core.Proxy.Http1;

namespace OneHop.Core.Tests.Proxy.Http1;

/// <summary>What a parser handed over, as Latin-1 strings.</summary>
internal sealed class RecordingSink : IHttp1HeaderSink
{
    public int StatusCode { get; private set; }

    public string? Reason { get; private set; }

    public List<(string Name, string Value)> Headers { get; } = [];

    public void Status(int statusCode, ReadOnlySpan<byte> reason)
    {
        StatusCode = statusCode;
        Reason = Encoding.Latin1.GetString(reason);
    }

    public void Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        Headers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
}
