using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace OneHop.Core.Proxy.Http.Compression;

/// <summary>
/// ASP.NET Core's response compression driven by the request's route (<see cref="ProxyRequest.Coding"/>) instead of
/// one list for the whole server: the library streams, frames and adds Vary; this says which answers, and in which
/// coding. Over HTTPS too, as nginx does (BREACH is the operator's call: docs/compression.md).
/// </summary>
internal sealed class RouteCompressionProvider : IResponseCompressionProvider
{
    public static readonly RouteCompressionProvider Instance = new();

    /// <summary>The client's Accept-Encoding as it sent it (<see cref="ResponseCoding.AcceptEncoding"/>), not as a filter left it.</summary>
    public bool CheckRequestAcceptsCompression(HttpContext context) => CodingOf(context) is { Policy: not null } coding && !StringValues.IsNullOrEmpty(coding.AcceptEncoding);

    /// <summary>
    /// Chooses the answer's coding. An answer some client could get compressed varies by Accept-Encoding: the library
    /// adds Vary when this says true; when this client gets it as it is, Vary is added here.
    /// </summary>
    public bool ShouldCompressResponse(HttpContext context)
    {
        if (CodingOf(context) is not { Policy: { } policy } coding || !Eligible(context.Response, policy))
        {
            return false;
        }

        coding.Chosen = CodingChoice.Choose(coding.AcceptEncoding, policy, context.Response, coding.UserAgent);
        var headers = context.Response.Headers;
        if (coding.Chosen is null)
        {
            AddVary(headers);
            return false;
        }

        // What no longer holds of the coded answer goes: a strong validator promises these bytes exactly (RFC 9110
        // §8.8.1), as nginx makes it weak; byte ranges of the coded answer are not offered.
        if (headers.ETag is [{ Length: > 0 } etag] && !etag.StartsWith("W/", StringComparison.Ordinal))
        {
            headers.ETag = "W/" + etag;
        }

        headers.AcceptRanges = StringValues.Empty;

        // Digests of the content or representation the pod sent (RFC 9530) do not describe the coded one.
        headers.Remove("Content-Digest");
        headers.Remove("Repr-Digest");
        return true;
    }

    public ICompressionProvider? GetCompressionProvider(HttpContext context) => CodingOf(context) is { Policy: not null } coding ? coding : null;

    /// <summary>For a request without Accept-Encoding (the library then wraps nothing): Vary on the answers others could get compressed.</summary>
    public static void VaryWithoutCompressing(HttpContext context) => context.Response.OnStarting(
        static state =>
        {
            var context = (HttpContext)state;
            if (CodingOf(context) is { Policy: { } policy } && Eligible(context.Response, policy))
            {
                AddVary(context.Response.Headers);
            }

            return Task.CompletedTask;
        },
        context);

    /// <summary>Whether the answer is one some coding of the policy carries.</summary>
    private static bool Eligible(HttpResponse response, Configuration.Compression.CompressionPolicy policy)
    {
        if (!CompressionRules.Compressible(response))
        {
            return false;
        }

        foreach (var coding in policy.Codings)
        {
            if (CompressionRules.Carries(coding, response))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddVary(IHeaderDictionary headers)
    {
        foreach (var value in headers.Vary)
        {
            if (value is not null && (value.Contains(HeaderNames.AcceptEncoding, StringComparison.OrdinalIgnoreCase) || value.Trim() == "*"))
            {
                return;
            }
        }

        headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
    }

    private static ResponseCoding? CodingOf(HttpContext context) => context.Features.Get<ProxyRequest>()?.Coding;
}
