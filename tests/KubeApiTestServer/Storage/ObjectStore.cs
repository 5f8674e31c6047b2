using System.Text.Json.Nodes;
using k8s;
using KubeApiTestServer.Json;
using KubeApiTestServer.Objects;
using KubeApiTestServer.Resources;
using KubeApiTestServer.Watching;

namespace KubeApiTestServer.Storage;

/// <summary>
/// The in-memory "etcd": every kind's objects, one global RV counter bumped by each create, update and delete,
/// the retained history, and the watch subscriptions. One lock guards all of it, so a write, its RV and its
/// delivery to watchers happen as one step, and a watch registers atomically with its starting state.
/// </summary>
internal sealed class ObjectStore
{
    /// <summary>The RV of the empty store; the first write gets the next one.</summary>
    public const long InitialResourceVersion = 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<KubeKind, SortedDictionary<string, StoredObject>> _objects;
    private readonly EventHistory _history;
    private readonly List<WatchSubscription> _subscriptions = [];
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _watchersChanged = NewSignal();
    private long _resourceVersion = InitialResourceVersion;

    public ObjectStore(int historyCapacity)
    {
        _history = new EventHistory(InitialResourceVersion, historyCapacity);
        _objects = ResourceKinds.All.ToDictionary(k => k.Id, _ => new SortedDictionary<string, StoredObject>(StringComparer.Ordinal));
    }

    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Events with an RV up to this one are no longer retained.</summary>
    public long CompactedThrough
    {
        get
        {
            lock (_gate)
            {
                return _history.CompactedThrough;
            }
        }
    }

    public int HistoryCapacity
    {
        get
        {
            lock (_gate)
            {
                return _history.Capacity;
            }
        }
        set
        {
            lock (_gate)
            {
                _history.Capacity = value;
            }
        }
    }

    /// <summary>The number of watch streams that are established (starting events sent, timers armed).</summary>
    public int WatchCount
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count(s => s.IsReady);
            }
        }
    }

    /// <summary>Marks a watch as established, for <see cref="WaitForWatchesAsync"/>.</summary>
    public void MarkReady(WatchSubscription subscription)
    {
        lock (_gate)
        {
            if (_subscriptions.Contains(subscription) && !subscription.IsReady)
            {
                subscription.IsReady = true;
                SignalWatchers();
            }
        }
    }

    public void CompactThrough(long resourceVersion)
    {
        lock (_gate)
        {
            _history.CompactThrough(Math.Min(resourceVersion, _resourceVersion));
        }
    }

    public StoredObject? Get(ResourceKind kind, ObjectKey key)
    {
        lock (_gate)
        {
            return _objects[kind.Id].GetValueOrDefault(key.StorageKey);
        }
    }

    /// <summary>
    /// Creates or replaces one object. <paramref name="build"/> runs under the lock with the current object (or
    /// null) and the RV the write will get; it returns the object to store, or throws a <see cref="KubeApiException"/>.
    /// </summary>
    public StoredObject Write(ResourceKind kind, ObjectKey key, Func<StoredObject?, long, JsonObject> build)
    {
        lock (_gate)
        {
            var table = _objects[kind.Id];
            var current = table.GetValueOrDefault(key.StorageKey);
            var next = _resourceVersion + 1;
            var node = JsonObjects.Normalize(kind, build(current, next));
            JsonObjects.SetResourceVersion(node, next);
            var stored = new StoredObject(key, next, JsonObjects.ToElement(node));
            table[key.StorageKey] = stored;
            Commit(new ChangeEvent(kind, current is null ? WatchEventType.Added : WatchEventType.Modified, next, stored, current));
            return stored;
        }
    }

    /// <summary>Deletes one object; <paramref name="check"/> may veto by throwing. Returns the last state with the deletion RV.</summary>
    public StoredObject Remove(ResourceKind kind, ObjectKey key, Action<StoredObject>? check = null)
    {
        lock (_gate)
        {
            var table = _objects[kind.Id];
            if (!table.TryGetValue(key.StorageKey, out var current))
            {
                throw Statuses.NotFound(kind, key.Name);
            }

            check?.Invoke(current);
            var next = _resourceVersion + 1;
            table.Remove(key.StorageKey);
            var tombstone = new StoredObject(key, next, JsonObjects.WithResourceVersion(current.Json, next));
            Commit(new ChangeEvent(kind, WatchEventType.Deleted, next, tombstone, current));
            return tombstone;
        }
    }

    /// <summary>The current objects of a kind, in one namespace or all of them.</summary>
    public Snapshot List(ResourceKind kind, string? ns)
    {
        lock (_gate)
        {
            return new Snapshot(Select(_objects[kind.Id].Values, ns).ToList(), _resourceVersion);
        }
    }

    /// <summary>
    /// The objects as they were at <paramref name="resourceVersion"/>, rebuilt from the retained history;
    /// null when that RV has been compacted away. Throws 504 for an RV from the future.
    /// </summary>
    public Snapshot? ListAt(ResourceKind kind, string? ns, long resourceVersion)
    {
        lock (_gate)
        {
            if (resourceVersion > _resourceVersion)
            {
                throw Statuses.TooLargeResourceVersion(resourceVersion, _resourceVersion);
            }

            if (resourceVersion < _history.CompactedThrough)
            {
                return null;
            }

            var state = new SortedDictionary<string, StoredObject>(_objects[kind.Id], StringComparer.Ordinal);
            foreach (var change in _history.AfterNewestFirst(resourceVersion))
            {
                if (!ReferenceEquals(change.Kind, kind))
                {
                    continue;
                }

                if (change.Previous is null)
                {
                    state.Remove(change.Object.Key.StorageKey);
                }
                else
                {
                    state[change.Previous.Key.StorageKey] = change.Previous;
                }
            }

            return new Snapshot(Select(state.Values, ns).ToList(), resourceVersion);
        }
    }

    /// <summary>
    /// Registers a watch. With <paramref name="fromResourceVersion"/> null it starts from the current objects;
    /// otherwise from the retained changes after that RV (410 when compacted, 504 when in the future).
    /// </summary>
    public WatchStart Watch(ResourceKind kind, string? ns, long? fromResourceVersion)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredObject> initial = [];
            IReadOnlyList<ChangeEvent> backlog = [];
            if (fromResourceVersion is not { } from)
            {
                initial = Select(_objects[kind.Id].Values, ns).ToList();
            }
            else if (from > _resourceVersion)
            {
                throw Statuses.TooLargeResourceVersion(from, _resourceVersion);
            }
            else if (from < _history.CompactedThrough)
            {
                throw Statuses.Expired($"too old resource version: {from} ({_history.CompactedThrough})");
            }
            else
            {
                backlog = _history.After(from)
                    .Where(c => ReferenceEquals(c.Kind, kind) && (ns is null || c.Object.Key.Namespace == ns))
                    .ToList();
            }

            var subscription = new WatchSubscription(kind, ns, Unsubscribe);
            _subscriptions.Add(subscription);
            return new WatchStart(subscription, initial, backlog, _resourceVersion);
        }
    }

    /// <summary>Queues a bookmark at the current RV behind everything already delivered to the subscription.</summary>
    public void RequestBookmark(WatchSubscription subscription)
    {
        lock (_gate)
        {
            subscription.Deliver(new BookmarkItem(_resourceVersion));
        }
    }

    /// <summary>Ends every open watch of a kind cleanly, after the events already delivered to it.</summary>
    public void EndWatches(KubeKind kind)
    {
        lock (_gate)
        {
            foreach (var subscription in _subscriptions.Where(s => s.Kind.Id == kind))
            {
                subscription.End();
            }
        }
    }

    /// <summary>Completes when <paramref name="predicate"/> holds for the number of established watches of a kind (all kinds when null).</summary>
    public async Task WaitForWatchesAsync(KubeKind? kind, Func<int, bool> predicate, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (predicate(_subscriptions.Count(s => s.IsReady && (kind is null || s.Kind.Id == kind))))
                {
                    return;
                }

                changed = _watchersChanged.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the global RV reaches <paramref name="resourceVersion"/>.</summary>
    public async Task WaitForResourceVersionAsync(long resourceVersion, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_resourceVersion >= resourceVersion)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for the global RV to reach <paramref name="resourceVersion"/>, as the real
    /// server does before answering "too large resource version". Returns whether it was reached.
    /// </summary>
    public async Task<bool> TryWaitForResourceVersionAsync(
        long resourceVersion, TimeSpan wait, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (CurrentResourceVersion >= resourceVersion)
        {
            return true;
        }

        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await WaitForResourceVersionAsync(resourceVersion, cancellationToken)
                .WaitAsync(wait, timeProvider, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static IEnumerable<StoredObject> Select(IEnumerable<StoredObject> objects, string? ns) =>
        ns is null ? objects : objects.Where(o => o.Key.Namespace == ns);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Commit(ChangeEvent change)
    {
        _resourceVersion = change.ResourceVersion;
        _history.Append(change);
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Accepts(change.Kind, change.Object.Key.Namespace))
            {
                subscription.Deliver(new ChangeItem(change));
            }
        }

        var changed = _changed;
        _changed = NewSignal();
        changed.SetResult();
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            if (_subscriptions.Remove(subscription) && subscription.IsReady)
            {
                SignalWatchers();
            }
        }
    }

    private void SignalWatchers()
    {
        var changed = _watchersChanged;
        _watchersChanged = NewSignal();
        changed.SetResult();
    }
}
