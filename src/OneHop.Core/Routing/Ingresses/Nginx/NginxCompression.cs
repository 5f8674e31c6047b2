using OneHop.Core.Configuration.Compression;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's compression keys as read from its controller ConfigMap (<see cref="NginxCompressionKeys"/>), with its
/// defaults; <see cref="Build"/> turns them into the compression of every served Ingress.
/// </summary>
internal sealed class NginxCompression
{
    /// <summary>ingress-nginx's gzip-types and brotli-types default (its config.go), to which nginx adds text/html.</summary>
    public const string DefaultTypes = "application/atom+xml application/javascript application/x-javascript application/json application/rss+xml application/vnd.ms-fontobject application/x-font-ttf application/x-web-app-manifest+json application/xhtml+xml application/xml font/opentype image/svg+xml image/x-icon text/css text/javascript text/plain text/x-component";

    public bool UseGzip { get; set; }

    public int GzipLevel { get; set; } = CompressionCoding.DefaultGzipLevel;

    public int GzipMinLength { get; set; } = (int)CompressionCoding.DefaultMinLength;

    public CompressibleTypes GzipTypes { get; set; } = Types(DefaultTypes);

    public UserAgentPatterns? GzipDisable { get; set; }

    public bool EnableBrotli { get; set; }

    public int BrotliLevel { get; set; } = CompressionCoding.DefaultBrotliLevel;

    /// <summary>ingress-nginx's brotli-min-length default.</summary>
    public int BrotliMinLength { get; set; } = 20;

    public CompressibleTypes BrotliTypes { get; set; } = Types("application/xml+rss " + DefaultTypes);

    /// <summary>A space-separated list of media types as gzip_types takes it, with text/html, which nginx always compresses.</summary>
    public static CompressibleTypes Types(string list) =>
        CompressibleTypes.Of(["text/html", .. list.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

    /// <summary>Why <paramref name="list"/> is not a list of types; null when it is.</summary>
    public static string? TypesProblem(string list)
    {
        var types = list.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return types.Length == 0 ? "no media type: list them separated by spaces, such as text/css application/json" : types.Select(CompressibleTypes.Problem).FirstOrDefault(p => p is not null);
    }

    /// <summary>Brotli before gzip where the client takes both equally, as ngx_brotli runs before gzip; null when both are off.</summary>
    public CompressionPolicy? Build()
    {
        List<CompressionCoding> codings = [];
        if (EnableBrotli)
        {
            codings.Add(new(CompressionCoding.Brotli, BrotliLevel, BrotliMinLength, BrotliTypes));
        }

        if (UseGzip)
        {
            codings.Add(new(CompressionCoding.Gzip, GzipLevel, GzipMinLength, GzipTypes) { DisabledFor = GzipDisable });
        }

        return codings.Count == 0 ? null : new CompressionPolicy([.. codings]);
    }
}
