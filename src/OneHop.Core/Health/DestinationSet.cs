using System.Collections.Immutable;

namespace OneHop.Core.Health;

/// <summary>
/// The destinations a backend offers requests right now (the availability layer's answer), immutable, with a slot for
/// what a picker derives from exactly this list (a rotation, a Maglev table, affinity tokens): built once when the
/// list changes, never per request. A retry's list without the endpoints already tried is <see cref="Narrow"/>ed from
/// it and keeps it as <see cref="Primary"/>, so costly picker state is not rebuilt for one retry.
/// </summary>
internal sealed class DestinationSet : IReadOnlyList<Destination>
{
    public static readonly DestinationSet Empty = new([]);

    private object? _pickerState;

    public DestinationSet(ImmutableArray<Destination> items, DestinationSet? primary = null)
    {
        Items = items;
        Primary = primary ?? this;
    }

    public ImmutableArray<Destination> Items { get; }

    public int Count => Items.Length;

    /// <summary>The backend's full list this one was narrowed from; itself when it was not.</summary>
    public DestinationSet Primary { get; }

    public bool IsNarrowed => !ReferenceEquals(Primary, this);

    public Destination this[int index] => Items[index];

    /// <summary>The picker's state for this list, created on first use (two racing requests may both create; one wins).</summary>
    public T PickerState<T, TArg>(TArg arg, Func<DestinationSet, TArg, T> create)
        where T : class
    {
        if (Volatile.Read(ref _pickerState) is T state)
        {
            return state;
        }

        var created = create(this, arg);
        return Interlocked.CompareExchange(ref _pickerState, created, null) as T ?? created;
    }

    /// <summary>This list without <paramref name="tried"/>, for a retry.</summary>
    public DestinationSet Narrow(IReadOnlyCollection<Destination> tried)
    {
        var builder = ImmutableArray.CreateBuilder<Destination>(Count);
        foreach (var destination in Items)
        {
            if (!tried.Contains(destination))
            {
                builder.Add(destination);
            }
        }

        return new DestinationSet(builder.ToImmutable(), Primary);
    }

    public bool Contains(Destination destination) => Items.Contains(destination);

    public ImmutableArray<Destination>.Enumerator GetEnumerator() => Items.GetEnumerator();

    IEnumerator<Destination> IEnumerable<Destination>.GetEnumerator() => ((IEnumerable<Destination>)Items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((System.Collections.IEnumerable)Items).GetEnumerator();
}
