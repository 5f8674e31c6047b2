using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http;

/// <summary>The answers OneHop makes up itself: a status, a short text body saying why, and <see cref="ErrorCodes.Header"/>.</summary>
internal static class ErrorResponses
{
    /// <summary>
    /// Answers a failed attempt whose response has not started, after the last try: the 503/502/504 split of
    /// docs/operations.md. Outcomes that are not errors (or whose client is gone) leave the response alone.
    /// </summary>
    public static Task WriteAsync(HttpContext context, AttemptOutcome outcome, string backend, int attempts) => context.Response.HasStarted
        ? Task.CompletedTask
        : outcome switch
        {
            AttemptOutcome.ConnectRefused => WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.ConnectRefused, $"no endpoint of {backend} accepted the connection ({attempts} tried)"),
            AttemptOutcome.ConnectTimeout => WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.ConnectTimeout, $"no endpoint of {backend} accepted the connection ({attempts} tried, the last timed out)"),
            AttemptOutcome.TlsFailure => WriteAsync(context, StatusCodes.Status502BadGateway, ErrorCodes.UpstreamTls, $"the TLS handshake with an endpoint of {backend} failed"),
            AttemptOutcome.UpstreamReset => WriteAsync(context, StatusCodes.Status502BadGateway, ErrorCodes.UpstreamReset, $"an endpoint of {backend} closed or reset the connection without a complete answer"),
            AttemptOutcome.BadUpstreamResponse => WriteAsync(context, StatusCodes.Status502BadGateway, ErrorCodes.BadUpstreamResponse, $"an endpoint of {backend} sent a malformed response"),
            AttemptOutcome.Timeout => WriteAsync(context, StatusCodes.Status504GatewayTimeout, ErrorCodes.Timeout, $"{backend} did not answer in time"),
            AttemptOutcome.BadRequestBody => BadBodyAsync(context),
            AttemptOutcome.Unforwardable => WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.Unforwardable, "the request cannot be forwarded as sent"),
            _ => Task.CompletedTask,
        };

    /// <summary>Keeps the status Kestrel gave the body's failure (YARP passes it on): 413 over the size limit, 408 too slow, else 400.</summary>
    private static Task BadBodyAsync(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.BadRequestBody, "the request body is larger than limits.maxRequestBodySize or its route allows"),
        StatusCodes.Status408RequestTimeout => WriteAsync(context, StatusCodes.Status408RequestTimeout, ErrorCodes.BadRequestBody, "the request body came too slowly"),
        _ => WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.BadRequestBody, "the request body is malformed or was cut short"),
    };

    /// <summary>Replaces whatever response was prepared with <paramref name="status"/>, <paramref name="code"/> and a one-line reason.</summary>
    /// <param name="closeConnection">Close an HTTP/1 connection after this answer (HTTP/2 streams are framed apart).</param>
    /// <param name="challenge">A WWW-Authenticate header for a 401.</param>
    public static Task WriteAsync(HttpContext context, int status, string code, string reason, bool closeConnection = false, string? challenge = null)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        if (challenge is not null)
        {
            response.Headers.WWWAuthenticate = challenge;
        }

        response.ContentType = "text/plain; charset=utf-8";
        response.Headers[ErrorCodes.Header] = code;
        if (closeConnection && !HttpProtocol.IsHttp2(context.Request.Protocol) && !HttpProtocol.IsHttp3(context.Request.Protocol))
        {
            response.Headers.Connection = "close";
        }

        return response.WriteAsync($"{status} {ReasonPhrases.GetReasonPhrase(status)}: {reason}\n");
    }
}
