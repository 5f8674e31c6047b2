using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Primitives;
using OneHop.Core.Configuration.Compression;

namespace OneHop.Core.Proxy.Http.Compression;

/// <summary>
/// The compression of one request's answer: its route's policy, then the coding chosen for the answer once its head is
/// known. It is the provider ASP.NET Core's compressing body asks for, because that body may ask before the head is
/// complete (YARP disables buffering first) and keeps the answer: the coding is decided in
/// <see cref="RouteCompressionProvider.ShouldCompressResponse"/>, right before its name is read. Kept per connection
/// with its <see cref="ProxyRequest"/>, so a compressed answer costs no object of OneHop's.
/// </summary>
internal sealed class ResponseCoding : ICompressionProvider
{
    /// <summary>The route's compression; null while no request of the connection has one.</summary>
    public CompressionPolicy? Policy { get; private set; }

    /// <summary>The client's Accept-Encoding as it sent it, before the route's header filters.</summary>
    public StringValues AcceptEncoding { get; private set; }

    /// <summary>The client's User-Agent as it sent it.</summary>
    public StringValues UserAgent { get; private set; }

    /// <summary>The coding of the answer, once chosen.</summary>
    public CompressionCoding? Chosen { get; set; }

    public string EncodingName => Chosen?.Name ?? throw new InvalidOperationException("no coding was chosen for this answer");

    public bool SupportsFlush => true;

    /// <summary>The body the coder writes into, kept for the connection's next compressed answer.</summary>
    public CoalescedResponseBody Body { get; } = new();

    public Stream CreateStream(Stream outputStream) =>
        CodingProvider.For(Chosen ?? throw new InvalidOperationException("no coding was chosen for this answer")).CreateStream(outputStream);

    /// <summary>Starts the answer's compression, with the client's headers read before any filter edits them.</summary>
    public void Start(CompressionPolicy policy, StringValues acceptEncoding, StringValues userAgent) =>
        (Policy, Chosen, AcceptEncoding, UserAgent) = (policy, null, acceptEncoding, userAgent);

    public void Clear() => (Policy, Chosen, AcceptEncoding, UserAgent) = (null, null, default, default);
}
