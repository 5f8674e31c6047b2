using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Configuration.Compression;

namespace OneHop.Core.Proxy.Http.Compression;

/// <summary>Which requests and answers OneHop compresses: nginx's gzip rules, and what RFC 9110 asks of a proxy.</summary>
internal static class CompressionRules
{
    /// <summary>
    /// Whether the request's answer may be compressed at all: not to HEAD (nginx answers those as they are, with the
    /// length of the whole), not to HTTP/1.0 (ingress-nginx's gzip_http_version 1.1: no chunked framing), not an upgrade.
    /// </summary>
    public static bool MayCompress(HttpContext context)
    {
        var request = context.Request;
        return !HttpMethods.IsHead(request.Method) && !HttpProtocol.IsHttp10(request.Protocol)
            && context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true
            && context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect != true;
    }

    /// <summary>
    /// Whether the answer is one a coding may change: 200, 403 or 404 (nginx's), not encoded already, not a range,
    /// not marked <c>no-transform</c> (RFC 9110 §7.7: a proxy must not transform its content), with a Content-Type, and
    /// not gRPC, even where the types say <c>*</c>: gRPC compresses its own messages and its status is in trailers.
    /// </summary>
    public static bool Compressible(HttpResponse response)
    {
        if (response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound))
        {
            return false;
        }

        var headers = response.Headers;
        return headers.ContentEncoding.Count == 0 && headers.ContentRange.Count == 0 && response.ContentType is { Length: > 0 } type
            && !type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) && !NoTransform(headers.CacheControl);
    }

    /// <summary>Whether <paramref name="coding"/> takes the answer: one of its types, and not shorter than its minimum.</summary>
    public static bool Carries(CompressionCoding coding, HttpResponse response) =>
        coding.Types.Matches(response.ContentType) && (response.ContentLength is not { } length || (length > 0 && length >= coding.MinLength));

    private static bool NoTransform(Microsoft.Extensions.Primitives.StringValues cacheControl)
    {
        foreach (var value in cacheControl)
        {
            if (value is not null && value.Contains("no-transform", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
