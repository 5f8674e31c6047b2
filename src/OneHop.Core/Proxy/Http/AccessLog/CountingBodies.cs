using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>
/// The counting wrappers of a request's bodies, kept on its HTTP/1 connection and reused by each of the connection's
/// requests in turn (five objects per request were two fifths of what the access log allocated). HTTP/2 and HTTP/3
/// run a connection's requests at once, so each of theirs gets wrappers of its own. The access log counts the whole
/// request (<see cref="Attach"/>); YARP's forwarder, which counts nothing itself, each attempt's
/// (<see cref="AttachForAttempt"/>, in front of the access log's).
/// </summary>
internal sealed class CountingBodies
{
    private static readonly object RequestKey = new();
    private static readonly object AttemptKey = new();

    public CountingRequestBody Request { get; } = new();

    public CountingResponseBody Response { get; } = new();

    /// <summary>Counting, from zero, in front of both bodies of <paramref name="context"/>, for the whole request.</summary>
    public static CountingBodies Attach(HttpContext context) => AttachAs(context, RequestKey);

    /// <summary>Counting, from zero, in front of both bodies of <paramref name="context"/>, for one attempt: <see cref="Detach"/> it after.</summary>
    public static CountingBodies AttachForAttempt(HttpContext context) => AttachAs(context, AttemptKey);

    /// <summary>Puts back the bodies found by <see cref="AttachForAttempt"/>; the counts stay readable.</summary>
    public void Detach(HttpContext context)
    {
        Response.Detach(context.Features);
        Request.Detach(context.Features);
    }

    private static CountingBodies AttachAs(HttpContext context, object key)
    {
        var bodies = Reusable(context, key) ?? new CountingBodies();
        bodies.Request.Attach(context.Features);
        bodies.Response.Attach(context.Features);
        return bodies;
    }

    private static CountingBodies? Reusable(HttpContext context, object key)
    {
        var protocol = context.Request.Protocol;
        if (!(HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol)) || context.Features.Get<IConnectionItemsFeature>()?.Items is not { } items)
        {
            return null;
        }

        if (items.TryGetValue(key, out var kept) && kept is CountingBodies bodies)
        {
            return bodies;
        }

        bodies = new CountingBodies();
        items[key] = bodies;
        return bodies;
    }
}
