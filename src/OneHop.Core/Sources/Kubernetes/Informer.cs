using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// List+watch for one kind in one namespace (or all), written once for every kind (client-go's reflector,
/// kubernetes-api.md §8.3): a paged LIST fills the store; a WATCH from the list's resourceVersion with bookmarks and
/// a randomised timeout follows changes and resumes from the last seen resourceVersion when it ends or breaks
/// (including the client's "closed with zero events" exception); 410 Gone/Expired, in-band or as HTTP, relists and
/// applies only the differences; errors back off with jitter; a watchdog restarts silent (half-open) watches.
/// The store is never cleared on an error: the last known state keeps serving.
/// </summary>
internal sealed partial class Informer<T>(
    KindApi<T> api,
    string? ns,
    KindStore<T> store,
    InformerOptions options,
    TimeProvider time,
    IRandomSource random,
    ILogger logger)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private volatile InformerStatus _status = new(api.Kind, ns, false, null, false, null, 0);
    private volatile CancellationTokenSource? _watch;
    private int _relist;

    public InformerStatus Status => _status;

    /// <summary>
    /// Ends the current watch and lists again, for an API whose <see cref="KindApi{T}.Keeps"/> now keeps objects it
    /// dropped before (a ConfigMap an Ingress has just named): the list brings them in and the watch resumes after it.
    /// </summary>
    public void RequestRelist()
    {
        Interlocked.Exchange(ref _relist, 1);
        try
        {
            _watch?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That watch has ended; the loop sees the request before the next one.
        }
    }

    public async Task RunAsync(Action changed, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.BackoffInitial, options.BackoffMax, random);
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null || Interlocked.Exchange(ref _relist, 0) == 1)
                {
                    resourceVersion = await ListAsync(changed, cancellationToken).ConfigureAwait(false);
                    backoff.Reset();
                }

                var (next, expired) = await WatchAsync(resourceVersion, changed, cancellationToken).ConfigureAwait(false);
                resourceVersion = expired ? null : next;
                if (expired)
                {
                    Log.Expired(logger, api.Kind, ns ?? "*");
                }

                backoff.Reset();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
            {
                Log.Expired(logger, api.Kind, ns ?? "*");
                resourceVersion = null;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                var message = $"forbidden: OneHop's credentials may not list/watch {api.Kind}s{(ns is null ? string.Empty : $" in namespace {ns}")}; grant get, list and watch on them (see deploy/rbac.yaml)";
                Log.Forbidden(logger, api.Kind, ns ?? "*");
                _status = _status with { Synced = true, Forbidden = true, LastError = message };
                changed();
                resourceVersion = null;
                await Task.Delay(options.ForbiddenRetry, time, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                // A custom resource whose CRD is absent (or was deleted): none of its objects exist. Counts as synced and
                // empty, so the other kinds serve, and is looked for again: the CRDs may be installed while OneHop runs.
                var first = !_status.NotInstalled;
                if (first)
                {
                    Log.NotInstalled(logger, api.Kind, ns ?? "*", options.ForbiddenRetry.TotalSeconds);
                }

                var emptied = store.Replace(ns, [], api.Name, api.Keeps);
                _status = _status with { Synced = true, LastSync = time.GetUtcNow(), Forbidden = false, LastError = null, NotInstalled = true };
                if (emptied || first)
                {
                    changed();
                }

                resourceVersion = null;
                await Task.Delay(options.ForbiddenRetry, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsCleanEndWithoutEvents(ex))
            {
                // KubernetesClient throws when a watch ends before its first event; that is a normal server timeout.
                backoff.Reset();
            }
            catch (Exception ex)
            {
                var message = ex is HttpOperationException http
                    ? $"HTTP {(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {Truncate(http.Response.Content)}"
                    : ex.Message;
                _status = _status with { LastError = message };
                changed();
                var wait = backoff.Next();
                Log.Failed(logger, api.Kind, ns ?? "*", message, wait.TotalMilliseconds);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ListAsync(Action changed, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? next = null;
        string listVersion;
        do
        {
            var page = await api.List(ns, next, options.PageSize, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            next = page.Continue;
            listVersion = page.ResourceVersion;
        }
        while (next is not null);

        var differs = store.Replace(ns, items, api.Name, api.Keeps);
        _status = _status with { Synced = true, LastSync = time.GetUtcNow(), Forbidden = false, LastError = null, NotInstalled = false, Relists = _status.Relists + 1 };
        if (differs || _status.Relists == 1)
        {
            changed();
        }

        return listVersion;
    }

    /// <summary>One watch, until the server ends it; returns the last resourceVersion seen, and whether it expired.</summary>
    private async Task<(string ResourceVersion, bool Expired)> WatchAsync(string resourceVersion, Action changed, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(options.WatchTimeoutMin.TotalSeconds
            + (random.NextDouble() * (options.WatchTimeoutMax - options.WatchTimeoutMin).TotalSeconds));
        var silentLimit = timeout + options.WatchdogGrace;
        using var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = time.CreateTimer(_ => watchdog.Cancel(), null, silentLimit, Timeout.InfiniteTimeSpan);
        _watch = watchdog;
        if (Volatile.Read(ref _relist) == 1)
        {
            return (resourceVersion, false); // asked for while listing: list again first
        }

        var expired = false;
        void OnError(Exception error)
        {
            if (error is KubernetesException { Status: { } status } && (status.Code == 410 || status.Reason is "Expired" or "Gone"))
            {
                expired = true;
            }
            else
            {
                Log.WatchError(logger, api.Kind, ns ?? "*", error.Message);
            }
        }

        try
        {
            await foreach (var (type, obj) in api.Watch(ns, resourceVersion, (int)timeout.TotalSeconds, OnError, watchdog.Token).ConfigureAwait(false))
            {
                timer.Change(silentLimit, Timeout.InfiniteTimeSpan);
                var changedNow = type switch
                {
                    WatchEventType.Added or WatchEventType.Modified => api.Keeps is null || api.Keeps(obj) ? store.Upsert(obj) : store.Remove(obj, api.Keeps),
                    WatchEventType.Deleted => store.Remove(obj),
                    _ => false,
                };
                if (obj?.Metadata?.ResourceVersion is { Length: > 0 } version)
                {
                    resourceVersion = version;
                }

                _status = _status with { LastSync = time.GetUtcNow(), LastError = null };
                if (changedNow)
                {
                    changed();
                }
            }
        }
        catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            if (Volatile.Read(ref _relist) == 1)
            {
                Log.Relisting(logger, api.Kind, ns ?? "*");
                return (resourceVersion, false);
            }

            Log.Silent(logger, api.Kind, ns ?? "*", silentLimit.TotalSeconds);
            return (resourceVersion, false);
        }

        if (!expired)
        {
            _status = _status with { LastSync = time.GetUtcNow() };
        }

        return (resourceVersion, expired);
    }

    private static bool IsCleanEndWithoutEvents(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is EndOfStreamException)
            {
                return true;
            }
        }

        return false;
    }

    private static string Truncate(string? text) => text is null ? string.Empty : text.Length <= 300 ? text : text[..300];

    private static partial class Log
    {
        [LoggerMessage(401, LogLevel.Information, "{Kind} in {Namespace}: resourceVersion expired (410); listing again")]
        public static partial void Expired(ILogger logger, string kind, string @namespace);

        [LoggerMessage(402, LogLevel.Error, "{Kind} in {Namespace}: forbidden (403); other kinds keep working")]
        public static partial void Forbidden(ILogger logger, string kind, string @namespace);

        [LoggerMessage(406, LogLevel.Information, "{Kind} in {Namespace}: not served by the API server (404: its CRD is not installed); looking again every {Seconds:F0}s")]
        public static partial void NotInstalled(ILogger logger, string kind, string @namespace, double seconds);

        [LoggerMessage(403, LogLevel.Warning, "{Kind} in {Namespace}: {Error}; the last known state keeps serving, retrying in {Milliseconds:F0} ms")]
        public static partial void Failed(ILogger logger, string kind, string @namespace, string error, double milliseconds);

        [LoggerMessage(404, LogLevel.Warning, "{Kind} in {Namespace}: watch error {Error}")]
        public static partial void WatchError(ILogger logger, string kind, string @namespace, string error);

        [LoggerMessage(407, LogLevel.Debug, "{Kind} in {Namespace}: the objects kept changed; listing again")]
        public static partial void Relisting(ILogger logger, string kind, string @namespace);

        [LoggerMessage(405, LogLevel.Warning, "{Kind} in {Namespace}: watch silent for {Seconds:F0}s (half-open connection?); restarting it")]
        public static partial void Silent(ILogger logger, string kind, string @namespace, double seconds);
    }
}
