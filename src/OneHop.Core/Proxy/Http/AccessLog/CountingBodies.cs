using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>
/// The counting wrappers of a request's bodies, kept on its HTTP/1 connection and reused by each of the connection's
/// requests in turn (five objects per request were two fifths of what the access log allocated). HTTP/2 and HTTP/3
/// run a connection's requests at once, so each of theirs gets wrappers of its own.
/// </summary>
internal sealed class CountingBodies
{
    private static readonly object Key = new();

    public CountingRequestBody Request { get; } = new();

    public CountingResponseBody Response { get; } = new();

    /// <summary>Counting, from zero, in front of both bodies of <paramref name="context"/>.</summary>
    public static CountingBodies Attach(HttpContext context)
    {
        var bodies = Reusable(context) ?? new CountingBodies();
        bodies.Request.Attach(context.Features);
        bodies.Response.Attach(context.Features);
        return bodies;
    }

    private static CountingBodies? Reusable(HttpContext context)
    {
        var protocol = context.Request.Protocol;
        if (!(HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol)) || context.Features.Get<IConnectionItemsFeature>()?.Items is not { } items)
        {
            return null;
        }

        if (items.TryGetValue(Key, out var kept) && kept is CountingBodies bodies)
        {
            return bodies;
        }

        bodies = new CountingBodies();
        items[Key] = bodies;
        return bodies;
    }
}
