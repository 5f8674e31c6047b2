using System.Text;
using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Passes a chunked response's trailer fields to the client when its protocol carries trailers (HTTP/2 and up);
/// Kestrel's HTTP/1.1 responses do not, and the trailers are then dropped, as a proxy may (RFC 9110 §6.5.1).
/// </summary>
internal readonly struct Http1TrailerCopier(HttpResponse response) : IHttp1HeaderSink
{
    private readonly bool _supported = response.SupportsTrailers();

    public void Status(int statusCode, ReadOnlySpan<byte> reason)
    {
    }

    public void Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_supported)
        {
            response.AppendTrailer(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value));
        }
    }
}
