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
    public async Task HandleAsync(HttpContext context, ApiRoute route, ListQuery query, ObjectFilter filter)
    {
        var aborted = context.RequestAborted;
        var closeToken = control.CloseToken;
        var dropToken = control.DropToken;
        var from = StartingResourceVersion(query);
        var writer = new WatchEventWriter(context.Response.Body, route.Kind, filter);
        var ns = route.Kind.Namespaced ? route.Namespace : null;

        WatchStart start;
        try
        {
            if (from is { } requested)
            {
                var reached = await store
                    .TryWaitForResourceVersionAsync(requested, knobs.TooLargeResourceVersionWait, timeProvider, aborted)
                    .ConfigureAwait(false);
                if (reached && query.SendInitialEvents == true)
                {
                    from = null;
                }
            }

            start = store.Watch(route.Kind, ns, from);
        }
        catch (KubeApiException error) when (error.Code is 410 or 504)
        {
            // The cacher answers 200 and reports these inside the stream, then closes it.
            await BeginStreamAsync(context).ConfigureAwait(false);
            await writer.WriteErrorAsync(error, aborted).ConfigureAwait(false);
            return;
        }

        using var subscription = start.Subscription;
        await BeginStreamAsync(context).ConfigureAwait(false);

        var timeout = query.TimeoutSeconds is > 0 ? TimeSpan.FromSeconds(Math.Min(query.TimeoutSeconds.Value, MaxTimeout)) : knobs.DefaultWatchTimeout;
        using var deadline = timeout > TimeSpan.Zero ? new CancellationTokenSource(Clamp(timeout), timeProvider) : new CancellationTokenSource();
        using var live = CancellationTokenSource.CreateLinkedTokenSource(aborted, deadline.Token, closeToken, dropToken);
        var interval = Clamp(knobs.BookmarkInterval);
        using var bookmarks = query.AllowWatchBookmarks && interval > TimeSpan.Zero
            ? timeProvider.CreateTimer(_ => store.RequestBookmark(subscription), null, interval, interval)
            : null;

        try
        {
            foreach (var initial in start.InitialObjects)
            {
                live.Token.ThrowIfCancellationRequested();
                await writer.WriteAddedAsync(initial, aborted).ConfigureAwait(false);
            }

            if (query.SendInitialEvents == true && query.AllowWatchBookmarks)
            {
                await writer.WriteBookmarkAsync(start.ResourceVersion, initialEventsEnd: true, aborted).ConfigureAwait(false);
            }

            foreach (var change in start.Backlog)
            {
                live.Token.ThrowIfCancellationRequested();
                await writer.WriteChangeAsync(change, aborted).ConfigureAwait(false);
            }

            store.MarkReady(subscription);

            // Only the wait for the next item is cancelled by the reasons to stop; an event already taken from
            // the queue is always written in full, so none is lost when the deadline or a knob fires.
            await foreach (var item in subscription.Reader.ReadAllAsync(live.Token).ConfigureAwait(false))
            {
                await WriteItemAsync(writer, item, aborted).ConfigureAwait(false);
            }
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

    /// <summary>Timers cannot run longer than about 49 days; a longer watch is as good as endless in a test.</summary>
    private const long MaxTimeout = 30L * 24 * 3600;

    private static TimeSpan Clamp(TimeSpan value) => value > TimeSpan.FromSeconds(MaxTimeout) ? TimeSpan.FromSeconds(MaxTimeout) : value;

    /// <summary>Null means "start from the current objects" (synthetic ADDED events); otherwise the RV to resume after.</summary>
    private long? StartingResourceVersion(ListQuery query)
    {
        var rv = query.ResourceVersion;
        var unset = string.IsNullOrEmpty(rv) || rv == "0";
        return query.SendInitialEvents switch
        {
            true when !unset => WaitTarget(rv!),
            true => null,
            false when unset => store.CurrentResourceVersion,
            _ when unset => null,
            _ => ListQuery.ParseResourceVersion(rv!),
        };
    }

    /// <summary>A streaming list "not older than N": refuse an N from the future, otherwise start from the current state.</summary>
    private long? WaitTarget(string rv)
    {
        var requested = ListQuery.ParseResourceVersion(rv);
        return requested > store.CurrentResourceVersion ? requested : null;
    }

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
