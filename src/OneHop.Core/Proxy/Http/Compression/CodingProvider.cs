using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using OneHop.Core.Configuration.Compression;

namespace OneHop.Core.Proxy.Http.Compression;

/// <summary>
/// One coding at one level for ASP.NET Core's response compression: its own gzip and brotli providers take only
/// <see cref="CompressionLevel"/>'s four steps, where nginx's levels (gzip 1–9, brotli 0–11) are numbers.
/// </summary>
internal sealed class CodingProvider : ICompressionProvider
{
    private static readonly CodingProvider[] GzipLevels = Levels(CompressionCoding.Gzip);
    private static readonly CodingProvider[] BrotliLevels = Levels(CompressionCoding.Brotli);

    private readonly int _level;

    private CodingProvider(string name, int level) => (EncodingName, _level) = (name, level);

    public string EncodingName { get; }

    /// <summary>Both flush what they hold (a sync flush), so a streamed answer (events, long polls) is not held back.</summary>
    public bool SupportsFlush => true;

    /// <summary>The provider of <paramref name="coding"/>, shared by every answer in it.</summary>
    public static CodingProvider For(CompressionCoding coding) =>
        (coding.Name == CompressionCoding.Gzip ? GzipLevels : BrotliLevels)[coding.Level];

    public Stream CreateStream(Stream outputStream) => EncodingName == CompressionCoding.Gzip
        ? new GZipStream(outputStream, new ZLibCompressionOptions { CompressionLevel = _level }, leaveOpen: true)
        : new BrotliStream(outputStream, new BrotliCompressionOptions { Quality = _level }, leaveOpen: true);

    private static CodingProvider[] Levels(string name) =>
        [.. Enumerable.Range(0, CompressionCoding.MaxLevel(name) + 1).Select(level => new CodingProvider(name, level))];
}
