using System.Text.Json.Serialization;

namespace OneHop.Core.Configuration.Compression;

/// <summary>One content coding a route's answers may be compressed with, and which answers it takes.</summary>
/// <param name="Name"><see cref="Gzip"/> or <see cref="Brotli"/>, as <c>Accept-Encoding</c> and <c>Content-Encoding</c> name it.</param>
/// <param name="Level">gzip 1–9, brotli 0–11: higher is smaller and costs more CPU per byte.</param>
/// <param name="MinLength">Answers whose <c>Content-Length</c> is shorter pass as they are; answers of unknown length are compressed.</param>
/// <param name="Types">The media types compressed.</param>
internal sealed record CompressionCoding(string Name, int Level, long MinLength, CompressibleTypes Types)
{
    public const string Gzip = "gzip";
    public const string Brotli = "br";

    /// <summary>nginx's gzip_comp_level default (ingress-nginx's gzip-level): the cheapest, most of the saving on text.</summary>
    public const int DefaultGzipLevel = 1;

    /// <summary>ingress-nginx's brotli-level default.</summary>
    public const int DefaultBrotliLevel = 4;

    /// <summary>ingress-nginx's gzip-min-length default: below it the coding's framing eats the saving.</summary>
    public const long DefaultMinLength = 256;

    /// <summary>Clients whose <c>User-Agent</c> matches get no answer in this coding (nginx's <c>gzip_disable</c>); null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UserAgentPatterns? DisabledFor { get; init; }

    /// <summary>The highest level of a coding, or -1 for a name OneHop does not compress with.</summary>
    public static int MaxLevel(string name) => name switch
    {
        Gzip => 9,
        Brotli => 11,
        _ => -1,
    };

    /// <summary>The lowest level of a coding: gzip's 0 would store, not compress.</summary>
    public static int MinLevel(string name) => name == Gzip ? 1 : 0;
}
