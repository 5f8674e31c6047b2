using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Proxy.Http;

/// <summary>What makes a request safe to send again.</summary>
internal static class RequestRetryability
{
    /// <summary>GET, HEAD, OPTIONS, PUT and DELETE (RFC 9110 §9.2.2), plus TRACE.</summary>
    public static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsTrace(method);

    /// <summary>True when the request carries no body, so nothing was consumed that a retry would need again.</summary>
    public static bool HasNoBody(HttpRequest request) =>
        request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0 && request.HttpContext.WebSockets.IsWebSocketRequest is false;
}
