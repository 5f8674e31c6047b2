using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Admin;

/// <summary>
/// <c>GET /api/topology/events</c>: server-sent events, one <see cref="TopologyDocument"/> per event (JSON on one
/// line), sent at once, whenever the data plane applies a snapshot, and every <see cref="Interval"/> for the rates.
/// </summary>
internal static class TopologyEvents
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private static readonly JsonTypeInfo<TopologyDocument> OneLine =
        (JsonTypeInfo<TopologyDocument>)new JsonSerializerOptions(AdminJsonContext.Default.Options) { WriteIndented = false }.GetTypeInfo(typeof(TopologyDocument));

    /// <summary>Streams until the client leaves or <paramref name="stopping"/> (the admin listener shutting down).</summary>
    public static async Task StreamAsync(HttpContext context, TopologyFeed feed, CancellationToken stopping)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var cancellation = done.Token;
        try
        {
            // An EventSource reconnects after this long when OneHop restarts.
            await response.Body.WriteAsync("retry: 2000\n\n"u8.ToArray(), cancellation);
            while (!cancellation.IsCancellationRequested)
            {
                var applied = feed.Applied;
                await response.Body.WriteAsync("data: "u8.ToArray(), cancellation);
                await JsonSerializer.SerializeAsync(response.Body, feed.Current(), OneLine, cancellation);
                await response.Body.WriteAsync("\n\n"u8.ToArray(), cancellation);
                await response.Body.FlushAsync(cancellation);
                await Task.WhenAny(applied, Task.Delay(Interval, feed.Time, cancellation));
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client went away or the listener stops: the stream simply ends.
        }
    }
}
