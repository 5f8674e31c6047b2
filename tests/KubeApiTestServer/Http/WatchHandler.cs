using KubeApiTestServer.Selectors;
using KubeApiTestServer.Storage;
using KubeApiTestServer.Watching;
using Microsoft.AspNetCore.Http;

namespace KubeApiTestServer.Http;

/// <summary>
/// WATCH (contract section 4): where the stream starts, the chunked NDJSON stream flushed per event, bookmarks
/// (periodic and just before the deadline), in-stream ERROR events for expired or future RVs, and clean or
/// abrupt closure on the timeout, the knobs or server shutdown.
/// </summary>
internal sealed class WatchHandler(ObjectStore store, ServerKnobs knobs, WatchControl control, TimeProvider timeProvider)
{
    /// <summary>Timers cannot run longer than about 49 days; a longer watch is as good as endless in a test.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(30);

    public async Task HandleAsync(HttpContext context, ApiRoute route, ListQuery query, ObjectFilter filter)
    {
        // Taken before anything else, so a knob fired while the watch opens still reaches it.
        var closeToken = control.CloseToken;
        var dropToken = control.DropToken;
        var writer = new WatchEventWriter(context.Response.Body, route.Kind, filter);
        var start = await OpenAsync(context, route, query, writer).ConfigureAwait(false);
        if (start is null)
        {
            return;
        }

        using var subscription = start.Subscription;
        await BeginStreamAsync(context).ConfigureAwait(false);

        var aborted = context.RequestAborted;
        var timeout = query.TimeoutSeconds is > 0 ? TimeSpan.FromSeconds(Math.Min(query.TimeoutSeconds.Value, (long)MaxTimer.TotalSeconds)) : knobs.DefaultWatchTimeout;
        using var deadline = timeout > TimeSpan.Zero ? new CancellationTokenSource(Clamp(timeout), timeProvider) : new CancellationTokenSource();
        using var live = CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token, closeToken, dropToken);
        var interval = Clamp(knobs.BookmarkInterval);
        using var bookmarks = query.AllowWatchBookmarks && interval > TimeSpan.Zero
            ? timeProvider.CreateTimer(_ => store.RequestBookmark(subscription), null, interval, interval)
            : null;

        try
        {
            await StreamAsync(writer, start, query, live.Token, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (live.IsCancellationRequested)
        {
            // One of the reasons to end the stream fired; the checks below decide how to end it.
        }

        if (dropToken.IsCancellationRequested)
        {
            context.Abort();
            return;
        }

        if (deadline.IsCancellationRequested && query.AllowWatchBookmarks && !aborted.IsCancellationRequested)
        {
            await FinalBookmarkAsync(writer, subscription, aborted).ConfigureAwait(false);
        }
    }

    private static TimeSpan Clamp(TimeSpan value) => value > MaxTimer ? MaxTimer : value;

    private static async Task BeginStreamAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = HttpResponses.JsonContentType;
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static Task WriteItemAsync(WatchEventWriter writer, WatchItem item, CancellationToken cancellationToken) => item switch
    {
        ChangeItem change => writer.WriteChangeAsync(change.Change, cancellationToken),
        BookmarkItem bookmark => writer.WriteBookmarkAsync(bookmark.ResourceVersion, initialEventsEnd: false, cancellationToken),
        _ => Task.CompletedTask,
    };

    /// <summary>
    /// Registers the watch at its starting point. An expired or future RV is answered as the cacher does: 200,
    /// one ERROR event, end of stream; then null is returned.
    /// </summary>
    private async Task<WatchStart?> OpenAsync(HttpContext context, ApiRoute route, ListQuery query, WatchEventWriter writer)
    {
        var from = StartingResourceVersion(query);
        try
        {
            if (from is { } requested)
            {
                var reached = await store
                    .TryWaitForResourceVersionAsync(requested, knobs.TooLargeResourceVersionWait, timeProvider, context.RequestAborted)
                    .ConfigureAwait(false);
                if (reached && query.SendInitialEvents == true)
                {
                    from = null;
                }
            }

            return store.Watch(route.Kind, route.Kind.Namespaced ? route.Namespace : null, from);
        }
        catch (KubeApiException error) when (error.Code is 410 or 504)
        {
            await BeginStreamAsync(context).ConfigureAwait(false);
            await writer.WriteErrorAsync(error, context.RequestAborted).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// The starting events, then live ones until <paramref name="stop"/> fires. Only waiting is cancelled by it:
    /// an event taken from the queue is always written in full, so none is cut when the deadline or a knob fires.
    /// </summary>
    private async Task StreamAsync(WatchEventWriter writer, WatchStart start, ListQuery query, CancellationToken stop, CancellationToken aborted)
    {
        foreach (var initial in start.InitialObjects)
        {
            stop.ThrowIfCancellationRequested();
            await writer.WriteAddedAsync(initial, aborted).ConfigureAwait(false);
        }

        if (query.SendInitialEvents == true && query.AllowWatchBookmarks)
        {
            await writer.WriteBookmarkAsync(start.ResourceVersion, initialEventsEnd: true, aborted).ConfigureAwait(false);
        }

        foreach (var change in start.Backlog)
        {
            stop.ThrowIfCancellationRequested();
            await writer.WriteChangeAsync(change, aborted).ConfigureAwait(false);
        }

        store.MarkReady(start.Subscription);
        await foreach (var item in start.Subscription.Reader.ReadAllAsync(stop).ConfigureAwait(false))
        {
            await WriteItemAsync(writer, item, aborted).ConfigureAwait(false);
        }
    }

    /// <summary>Null means "start from the current objects" (synthetic ADDED events); otherwise the RV to resume after.</summary>
    private long? StartingResourceVersion(ListQuery query)
    {
        var rv = query.ResourceVersion;
        var unset = string.IsNullOrEmpty(rv) || rv == "0";
        return query.SendInitialEvents switch
        {
            // A streaming list "not older than N": wait for (or refuse) an N from the future, else the current state.
            true when !unset => ListQuery.ParseResourceVersion(rv!) is var n && n > store.CurrentResourceVersion ? n : null,
            true => null,
            false when unset => store.CurrentResourceVersion,
            _ when unset => null,
            _ => ListQuery.ParseResourceVersion(rv!),
        };
    }

    /// <summary>At the deadline: drain what is queued, then one bookmark at the RV the watch has reached.</summary>
    private async Task FinalBookmarkAsync(WatchEventWriter writer, WatchSubscription subscription, CancellationToken cancellationToken)
    {
        store.RequestBookmark(subscription);
        while (subscription.Reader.TryRead(out var item))
        {
            await WriteItemAsync(writer, item, cancellationToken).ConfigureAwait(false);
        }
    }
}
