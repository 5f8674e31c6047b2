using System.Globalization;
using System.Net;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Routing;

namespace OneHop.Core.Control.Events;

/// <summary>
/// Records OneHop's findings as Kubernetes Events on the objects they are about, so <c>kubectl describe ingress</c>
/// shows them. A consumer of snapshots like the status writers: <see cref="Apply"/> only keeps the newest
/// translation, and the elected replica's loop writes. Like client-go's recorders it deduplicates and rate-limits:
/// <list type="bullet">
/// <item>a finding is one Event; when it is observed again — it disappeared and came back, or it persisted for
/// <see cref="EventRecorderOptions.Refresh"/> — the Event's <c>series</c> is patched (count and lastObservedTime)
/// instead of a new Event being created;</item>
/// <item>token buckets per object and for all writes hold back the rest; a held-back occurrence is written when a
/// token frees up, and one that disappears meanwhile is dropped;</item>
/// <item>an API failure pauses writing (doubling up to <see cref="EventRecorderOptions.RetryMax"/>), is logged once
/// until writing works again, and never reaches the data plane;</item>
/// <item>Events are history, so a finding that goes away is not "cleared"; an object this replica warned about that
/// has no finding left gets one Normal <c>Resolved</c> Event.</item>
/// </list>
/// </summary>
internal sealed partial class EventRecorder : ISnapshotConsumer, ILeaderTask
{
    private readonly IEventSink _sink;
    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AsyncSignal _changed = new();
    private readonly Dictionary<(string, string, string, string, string, string, string), RecordedEvent> _events = [];
    private readonly Dictionary<(string, string, string, string), TokenBucket> _objectBuckets = [];
    private readonly Dictionary<(string, string, string, string), EventSubject> _warned = [];
    private readonly TokenBucket _global;
    private volatile PublishedSnapshot? _published;
    private DateTimeOffset _retryAt;
    private TimeSpan _retryDelay;
    private bool _failing;
    private long _lastStamp;

    public EventRecorder(IEventSink sink, EventRecorderOptions options, TimeProvider time, ILogger<EventRecorder> logger)
    {
        _sink = sink;
        _options = options;
        _time = time;
        _logger = logger;
        _global = new TokenBucket(options.GlobalBurst, options.GlobalInterval, time);
    }

    /// <summary>Takes a translation in; quick, and the writing happens on the recorder's loop when this replica leads.</summary>
    public void Apply(PublishedSnapshot published)
    {
        _published = published;
        _changed.Set();
    }

    public async Task RunWhileLeadingAsync(CancellationToken leading)
    {
        while (!leading.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(leading).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug here must not stop the status writers that share the leadership.
                Log.Crashed(_logger, ex);
            }

            await _changed.WaitAsync(_options.Tick, _time, leading).ConfigureAwait(false);
        }
    }

    /// <summary>Writes what the newest translation calls for and the rate limits allow.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (_published is not { } published)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var wanted = Wanted(published);
        Forget(wanted, now);
        foreach (var finding in wanted)
        {
            var recorded = Track(finding, now);
            if (!recorded.Pending || now < _retryAt || !TryTakeTokens(finding.Subject))
            {
                continue;
            }

            if (!await WriteAsync(recorded, now, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        foreach (var (identity, _) in _objectBuckets.Where(b => b.Value.IsFull).ToList())
        {
            _objectBuckets.Remove(identity);
        }
    }

    /// <summary>The findings' Warnings, and a Resolved for each object warned about that has none left.</summary>
    private List<EventFinding> Wanted(PublishedSnapshot published)
    {
        var wanted = EventFindings.Warnings(published).ToList();
        var warnedNow = wanted.Select(f => f.Subject.Identity).ToHashSet();
        foreach (var (identity, subject) in _warned.ToList())
        {
            if (warnedNow.Contains(identity))
            {
                continue;
            }

            if (EventFindings.Resolved(published, subject) is { } resolved)
            {
                wanted.Add(resolved);
            }
            else
            {
                _warned.Remove(identity);
            }
        }

        return wanted;
    }

    /// <summary>Marks findings that went away, dropping their unwritten occurrences, and forgets Events long expired.</summary>
    private void Forget(List<EventFinding> wanted, DateTimeOffset now)
    {
        var keys = wanted.Select(f => f.Key).ToHashSet();
        foreach (var (key, recorded) in _events.ToList())
        {
            if (keys.Contains(key))
            {
                continue;
            }

            recorded.Current = false;
            recorded.Pending = false;
            if (recorded.Name is null || now - recorded.LastWritten >= _options.EventTtl)
            {
                _events.Remove(key);
            }
        }
    }

    /// <summary>The finding's record, marked pending when this is a new occurrence: first seen, back again, or due for a refresh.</summary>
    private RecordedEvent Track(EventFinding finding, DateTimeOffset now)
    {
        if (!_events.TryGetValue(finding.Key, out var recorded))
        {
            recorded = new RecordedEvent(finding) { Pending = true };
            _events[finding.Key] = recorded;
        }
        else if (!recorded.Current || now - recorded.LastWritten >= _options.Refresh)
        {
            recorded.Pending = true;
        }

        recorded.Finding = finding;
        recorded.Current = true;
        return recorded;
    }

    private bool TryTakeTokens(EventSubject subject)
    {
        if (!_objectBuckets.TryGetValue(subject.Identity, out var bucket))
        {
            bucket = new TokenBucket(_options.ObjectBurst, _options.ObjectInterval, _time);
            _objectBuckets[subject.Identity] = bucket;
        }

        if (!bucket.HasToken || !_global.HasToken)
        {
            return false;
        }

        bucket.TryTake();
        _global.TryTake();
        return true;
    }

    /// <summary>Writes one occurrence: a series patch of its Event while that lives, else a new Event. False: stop for now.</summary>
    private async Task<bool> WriteAsync(RecordedEvent recorded, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var finding = recorded.Finding;
        var subject = finding.Subject;
        try
        {
            var patched = false;
            if (recorded.Name is { } existing && now - recorded.LastWritten < _options.EventTtl)
            {
                try
                {
                    await _sink.PatchSeriesAsync(subject.EventNamespace, existing, new Eventsv1EventSeries { Count = recorded.Count + 1, LastObservedTime = MicroTime(now) }, cancellationToken).ConfigureAwait(false);
                    recorded.Count++;
                    patched = true;
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
                {
                    // Expired or deleted: the occurrence starts a new Event.
                }
            }

            if (!patched)
            {
                var name = NewName(subject.Name, now);
                await _sink.CreateAsync(NewEvent(name, finding, now), cancellationToken).ConfigureAwait(false);
                recorded.Name = name;
                recorded.Count = 1;
            }

            recorded.LastWritten = now;
            recorded.Pending = false;
            if (finding.Type == EventFinding.Warning)
            {
                _warned[subject.Identity] = subject;
            }
            else
            {
                _warned.Remove(subject.Identity);
            }

            Log.Recorded(_logger, finding.Type, finding.Reason, subject.ToString(), recorded.Count);
            _retryDelay = TimeSpan.Zero;
            if (_failing)
            {
                _failing = false;
                Log.Recovered(_logger);
            }

            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            // The API server will never take this Event as it is: skip this occurrence (the next refresh tries again).
            recorded.Pending = false;
            recorded.LastWritten = now;
            Log.Refused(_logger, finding.Reason, subject.ToString(), ex.Response.Content);
            return true;
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _retryDelay = _retryDelay == TimeSpan.Zero ? _options.RetryInitial : TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.RetryMax.Ticks));
            _retryAt = now + _retryDelay;
            var error = ex is HttpOperationException http ? $"{(int)http.Response.StatusCode} {http.Response.ReasonPhrase}: {http.Response.Content}" : ex.Message;
            if (!_failing)
            {
                _failing = true;
                var hint = ex is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden }
                    ? " (OneHop's role needs create and patch on events.events.k8s.io; see deploy/rbac.yaml)"
                    : string.Empty;
                Log.WriteFailed(_logger, subject.ToString(), error + hint);
            }
            else
            {
                Log.StillFailing(_logger, error, _retryDelay.TotalSeconds);
            }

            return false;
        }
    }

    private Eventsv1Event NewEvent(string name, EventFinding finding, DateTimeOffset now) => new()
    {
        ApiVersion = "events.k8s.io/v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = finding.Subject.EventNamespace },
        EventTime = MicroTime(now),
        Type = finding.Type,
        Reason = finding.Reason,
        Note = finding.Note,
        Action = EventRecorderOptions.Action,
        ReportingController = EventRecorderOptions.ReportingController,
        ReportingInstance = _options.ReportingInstance,
        Regarding = finding.Subject.ToReference(),
    };

    /// <summary>The object's name and a unique stamp (nanoseconds since 1970 in hex, as client-go names Events).</summary>
    private string NewName(string objectName, DateTimeOffset now)
    {
        _lastStamp = Math.Max((now - DateTimeOffset.UnixEpoch).Ticks * 100, _lastStamp + 1);
        var suffix = "." + _lastStamp.ToString("x", CultureInfo.InvariantCulture);
        const int MaxName = 253;
        return objectName.Length + suffix.Length <= MaxName
            ? objectName + suffix
            : objectName[..(MaxName - suffix.Length)].TrimEnd('-', '.') + suffix;
    }

    /// <summary>
    /// The time as a MicroTime the API server parses: KubernetesClient writes no fraction at all when it is zero, which
    /// the server's fixed six-digit layout refuses, so such an instant moves on by a microsecond.
    /// </summary>
    private static DateTime MicroTime(DateTimeOffset now)
    {
        var time = now.UtcDateTime;
        var micros = time.AddTicks(-(time.Ticks % 10));
        return micros.Ticks % TimeSpan.TicksPerSecond == 0 ? micros.AddTicks(10) : micros;
    }

    private static partial class Log
    {
        [LoggerMessage(221, LogLevel.Debug, "Event {Type} {Reason} on {Object} (count {Count})")]
        public static partial void Recorded(ILogger logger, string type, string reason, string @object, int count);

        [LoggerMessage(222, LogLevel.Warning, "Recording Events failed ({Object}): {Error}; OneHop retries, and says so here once it works again")]
        public static partial void WriteFailed(ILogger logger, string @object, string error);

        [LoggerMessage(223, LogLevel.Debug, "Recording Events still fails: {Error}; next try in {Seconds}s")]
        public static partial void StillFailing(ILogger logger, string error, double seconds);

        [LoggerMessage(224, LogLevel.Information, "Recording Events works again")]
        public static partial void Recovered(ILogger logger);

        [LoggerMessage(225, LogLevel.Warning, "The API server refused the {Reason} Event on {Object}: {Error}")]
        public static partial void Refused(ILogger logger, string reason, string @object, string error);

        [LoggerMessage(226, LogLevel.Error, "Recording Events failed unexpectedly; the next translation tries again")]
        public static partial void Crashed(ILogger logger, Exception exception);
    }
}
