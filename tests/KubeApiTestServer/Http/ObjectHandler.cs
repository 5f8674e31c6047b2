using System.Text.Json;
using System.Text.Json.Nodes;
using KubeApiTestServer.Objects;
using Microsoft.AspNetCore.Http;

namespace KubeApiTestServer.Http;

/// <summary>GET of one object and the writes of contract section 5: POST, PUT (also on /status), PATCH and DELETE.</summary>
internal sealed class ObjectHandler(ObjectService objects)
{
    public Task GetAsync(HttpContext context, ApiRoute route)
    {
        var stored = objects.Get(route.Kind, route.Namespace ?? "", route.Name!);
        return HttpResponses.WriteElementAsync(context, 200, stored.Json);
    }

    public async Task CreateAsync(HttpContext context, ApiRoute route)
    {
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        var stored = objects.Create(route.Kind, route.Namespace ?? "", body, rejectResourceVersion: true);
        await HttpResponses.WriteElementAsync(context, 201, stored.Json).ConfigureAwait(false);
    }

    public async Task ReplaceAsync(HttpContext context, ApiRoute route)
    {
        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        var ns = route.Namespace ?? "";
        if (route.Subresource == "status")
        {
            var updated = objects.ReplaceStatus(route.Kind, ns, route.Name!, body);
            await HttpResponses.WriteElementAsync(context, 200, updated.Json).ConfigureAwait(false);
            return;
        }

        var (stored, created) = objects.Replace(route.Kind, ns, route.Name!, body);
        await HttpResponses.WriteElementAsync(context, created ? 201 : 200, stored.Json).ConfigureAwait(false);
    }

    public async Task PatchAsync(HttpContext context, ApiRoute route)
    {
        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.OrdinalIgnoreCase))
        {
            throw Statuses.UnsupportedMediaType(contentType);
        }

        var patch = await ReadObjectAsync(context).ConfigureAwait(false);
        var strategic = contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.OrdinalIgnoreCase);
        var stored = ObjectPatcher.Patch(objects, route.Kind, route.Namespace ?? "", route.Name!, route.Subresource, patch, strategic);
        await HttpResponses.WriteElementAsync(context, 200, stored.Json).ConfigureAwait(false);
    }

    public async Task DeleteAsync(HttpContext context, ApiRoute route)
    {
        var options = await ReadOptionalObjectAsync(context).ConfigureAwait(false);
        var deleted = objects.Delete(route.Kind, route.Namespace ?? "", route.Name!, options);
        if (route.Kind.ReturnDeletedObject)
        {
            await HttpResponses.WriteElementAsync(context, 200, deleted.Json).ConfigureAwait(false);
            return;
        }

        var uid = deleted.Json.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("uid", out var u)
            ? u.GetString()
            : null;
        await HttpResponses.WriteNodeAsync(context, 200, Statuses.Success(route.Kind, route.Name!, uid)).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadOptionalObjectAsync(context).ConfigureAwait(false)
        ?? throw Statuses.BadRequest("the body of the request was empty");

    private static async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) as JsonObject
                ?? throw Statuses.BadRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Statuses.BadRequest($"couldn't get version/kind; json parse error: {e.Message}");
        }
    }
}
