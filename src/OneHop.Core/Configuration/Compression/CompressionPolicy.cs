using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneHop.Core.Configuration.Compression;

/// <summary>
/// How a route's answers are compressed for clients that accept it (<c>Accept-Encoding</c>): the codings offered, in
/// OneHop's order of preference where the client likes several as much. From the config file's <c>compression</c>
/// section, <c>onehop.dev/compression</c> and ingress-nginx's <c>use-gzip</c>/<c>enable-brotli</c> keys.
/// </summary>
internal sealed record CompressionPolicy(ImmutableArray<CompressionCoding> Codings)
{
    /// <summary>No compression: a route's own "off" over a proxy-wide policy.</summary>
    public static readonly CompressionPolicy Off = new([]);

    /// <summary>Brotli level 4 and gzip level 1, from 256 bytes, for <see cref="CompressibleTypes.Default"/>.</summary>
    public static readonly CompressionPolicy Default = new([
        new(CompressionCoding.Brotli, CompressionCoding.DefaultBrotliLevel, CompressionCoding.DefaultMinLength, CompressibleTypes.Default),
        new(CompressionCoding.Gzip, CompressionCoding.DefaultGzipLevel, CompressionCoding.DefaultMinLength, CompressibleTypes.Default),
    ]);

    [JsonIgnore]
    public bool IsOff => Codings.IsEmpty;

    public bool Equals(CompressionPolicy? other) => other is not null && Codings.SequenceEqual(other.Codings);

    public override int GetHashCode() => Codings.Length;
}
