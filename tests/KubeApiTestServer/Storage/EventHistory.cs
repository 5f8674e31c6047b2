namespace KubeApiTestServer.Storage;

/// <summary>
/// The retained change history, ordered by RV. Every write produces exactly one event and bumps the global RV
/// by one, so the retained events are contiguous. Not thread-safe: <see cref="ObjectStore"/> guards it.
/// </summary>
internal sealed class EventHistory(long initialResourceVersion, int capacity)
{
    private readonly List<ChangeEvent?> _events = [];
    private int _head;
    private int _capacity = capacity;

    /// <summary>Every event with an RV up to and including this one has been dropped.</summary>
    public long CompactedThrough { get; private set; } = initialResourceVersion;

    public int Count => _events.Count - _head;

    public int Capacity
    {
        get => _capacity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _capacity = value;
            Trim();
        }
    }

    public void Append(ChangeEvent change)
    {
        _events.Add(change);
        Trim();
    }

    /// <summary>Drops every event with an RV up to <paramref name="resourceVersion"/>.</summary>
    public void CompactThrough(long resourceVersion)
    {
        while (Count > 0 && _events[_head]!.ResourceVersion <= resourceVersion)
        {
            DropOldest();
        }

        CompactedThrough = Math.Max(CompactedThrough, resourceVersion);
        Shrink();
    }

    /// <summary>The retained events with an RV above <paramref name="resourceVersion"/>, oldest first.</summary>
    public IEnumerable<ChangeEvent> After(long resourceVersion)
    {
        for (var i = _head; i < _events.Count; i++)
        {
            var change = _events[i]!;
            if (change.ResourceVersion > resourceVersion)
            {
                yield return change;
            }
        }
    }

    /// <summary>The retained events with an RV above <paramref name="resourceVersion"/>, newest first.</summary>
    public IEnumerable<ChangeEvent> AfterNewestFirst(long resourceVersion)
    {
        for (var i = _events.Count - 1; i >= _head; i--)
        {
            var change = _events[i]!;
            if (change.ResourceVersion <= resourceVersion)
            {
                yield break;
            }

            yield return change;
        }
    }

    private void Trim()
    {
        while (Count > _capacity)
        {
            DropOldest();
        }

        Shrink();
    }

    private void DropOldest()
    {
        CompactedThrough = _events[_head]!.ResourceVersion;
        _events[_head] = null;
        _head++;
    }

    private void Shrink()
    {
        if (_head > 1024 && _head > _events.Count / 2)
        {
            _events.RemoveRange(0, _head);
            _head = 0;
        }
        else if (Count == 0)
        {
            _events.Clear();
            _head = 0;
        }
    }
}
