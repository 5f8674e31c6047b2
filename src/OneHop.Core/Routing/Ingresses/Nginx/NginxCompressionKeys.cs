using OneHop.Core.Configuration.Compression;
using static OneHop.Core.Routing.Ingresses.Nginx.NginxConfigMapKeys;
using static OneHop.Core.Routing.Ingresses.Nginx.NginxSupport;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's compression keys of its controller ConfigMap (gzip and ngx_brotli): the compression of the answers of
/// every served Ingress without <c>onehop.dev/compression</c>, done by OneHop where nginx does it.
/// </summary>
internal static class NginxCompressionKeys
{
    private const string Differences = "; the differences: OneHop leaves alone answers with Cache-Control: no-transform and gRPC answers whatever the types say, and without use-gzip and enable-brotli on the config file's compression section applies";

    public static readonly IReadOnlyList<NginxConfigMapKey> All =
    [
        new("use-gzip", Difference, "true compresses the answers of every served Ingress with gzip for clients that accept it, as nginx's gzip on with ingress-nginx's gzip_proxied any, gzip_vary on and gzip_http_version 1.1: 200, 403 and 404 answers of gzip-types with a Content-Length of at least gzip-min-length (or none), not already encoded, not to HEAD" + Differences, (v, s) => Flag(v, b => s.Compression.UseGzip = b)),
        new("gzip-level", Honoured, "the gzip level, 1 to 9 (default 1)", (v, s) => NginxValues.Int(v, 1, 9) is { } level ? Set(() => s.Compression.GzipLevel = level) : $"'{v}' is not a gzip level from 1 to 9"),
        new("gzip-min-length", Honoured, "answers with a shorter Content-Length are not compressed, in bytes (default 256)", (v, s) => NginxValues.Int(v, 0, int.MaxValue) is { } length ? Set(() => s.Compression.GzipMinLength = length) : $"'{v}' is not a number of bytes"),
        new("gzip-types", Honoured, "the media types compressed with gzip, separated by spaces, text/html always among them; * for all (default ingress-nginx's list)", (v, s) => NginxCompression.TypesProblem(v) ?? Set(() => s.Compression.GzipTypes = NginxCompression.Types(v))),
        new("gzip-disable", Difference, "a regular expression of the User-Agents whose requests get no gzip (nginx's gzip_disable; its msie6 mask too), case ignored, on .NET's non-backtracking engine (no lookarounds or backreferences)", (v, s) => UserAgentPatterns.Parse([v], out var problem) is { } patterns ? Set(() => s.Compression.GzipDisable = patterns) : problem),
        new("enable-brotli", Difference, "true compresses the answers of every served Ingress with brotli for clients that accept it (br), preferred to gzip where the client takes both equally; the rules of use-gzip with brotli-types and brotli-min-length" + Differences, (v, s) => Flag(v, b => s.Compression.EnableBrotli = b)),
        new("brotli-level", Honoured, "the brotli level, 0 to 11 (default 4)", (v, s) => NginxValues.Int(v, 0, 11) is { } level ? Set(() => s.Compression.BrotliLevel = level) : $"'{v}' is not a brotli level from 0 to 11"),
        new("brotli-min-length", Honoured, "answers with a shorter Content-Length are not compressed with brotli, in bytes (default 20)", (v, s) => NginxValues.Int(v, 0, int.MaxValue) is { } length ? Set(() => s.Compression.BrotliMinLength = length) : $"'{v}' is not a number of bytes"),
        new("brotli-types", Honoured, "the media types compressed with brotli, separated by spaces, text/html always among them; * for all (default ingress-nginx's list)", (v, s) => NginxCompression.TypesProblem(v) ?? Set(() => s.Compression.BrotliTypes = NginxCompression.Types(v))),
    ];
}
