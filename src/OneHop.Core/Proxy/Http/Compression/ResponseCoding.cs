using Microsoft.AspNetCore.ResponseCompression;
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

    /// <summary>The coding of the answer, once chosen.</summary>
    public CompressionCoding? Chosen { get; set; }

    public string EncodingName => Chosen?.Name ?? throw new InvalidOperationException("no coding was chosen for this answer");

    public bool SupportsFlush => true;

    /// <summary>The body the coder writes into, kept for the connection's next compressed answer.</summary>
    public CoalescedResponseBody Body { get; } = new();

    public Stream CreateStream(Stream outputStream) =>
        CodingProvider.For(Chosen ?? throw new InvalidOperationException("no coding was chosen for this answer")).CreateStream(outputStream);

    public void Start(CompressionPolicy policy) => (Policy, Chosen) = (policy, null);

    public void Clear() => (Policy, Chosen) = (null, null);
}
