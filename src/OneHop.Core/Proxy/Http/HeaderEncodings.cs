using System.Text;
using Microsoft.Net.Http.Headers;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// How header values are decoded and encoded on both sides of the proxy. Latin-1 maps every byte to one character
/// and back, so a value with bytes above 0x7F (<c>X-Filename: café.txt</c> in UTF-8, a legacy server's header) passes
/// through unchanged, as nginx and HAProxy pass it; with the defaults Kestrel decoded it as UTF-8 and the HTTP client
/// then refused to send it (a 502 blamed on the pod). YARP documents this pairing for Kestrel and SocketsHttpHandler.
/// </summary>
internal static class HeaderEncodings
{
    /// <summary>Kestrel's request header encoding: Latin-1, and digits only for Content-Length (<see cref="ContentLengthEncoding"/>).</summary>
    public static Encoding Request(string name) =>
        name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) ? ContentLengthEncoding.Instance : Encoding.Latin1;

    /// <summary>Kestrel's response headers and the HTTP client's both ways.</summary>
    public static Encoding Passthrough => Encoding.Latin1;
}
