using System.Text.Json;
using System.Text.Json.Nodes;
using KubeApiTestServer.Json;
using Microsoft.AspNetCore.Http;

namespace KubeApiTestServer.Http;

/// <summary>Writes JSON bodies with the status code and content type the real server uses.</summary>
internal static class HttpResponses
{
    public const string JsonContentType = "application/json";

    public static Task WriteStatusAsync(HttpContext context, KubeApiException error) =>
        WriteAsync(context, error.Code, JsonObjects.ToCompactBytes(w => error.StatusJson.WriteTo(w)));

    public static Task WriteNodeAsync(HttpContext context, int statusCode, JsonNode node) =>
        WriteAsync(context, statusCode, JsonObjects.ToCompactBytes(w => node.WriteTo(w)));

    public static Task WriteElementAsync(HttpContext context, int statusCode, JsonElement element) =>
        WriteAsync(context, statusCode, JsonObjects.ToCompactBytes(element.WriteTo));

    public static async Task WriteAsync(HttpContext context, int statusCode, byte[] body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
