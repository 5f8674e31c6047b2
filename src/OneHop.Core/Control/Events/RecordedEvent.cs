namespace OneHop.Core.Control.Events;

/// <summary>What the recorder knows about one finding's Event: mutable, owned by the recorder's loop.</summary>
internal sealed class RecordedEvent(EventFinding finding)
{
    public EventFinding Finding { get; set; } = finding;

    /// <summary>The Event's name once created; null before.</summary>
    public string? Name { get; set; }

    /// <summary>How many times it was observed and written (the series count; 1 for a new Event).</summary>
    public int Count { get; set; }

    public DateTimeOffset LastWritten { get; set; }

    /// <summary>In the latest translation; a finding that disappears and comes back is a new occurrence.</summary>
    public bool Current { get; set; }

    /// <summary>An occurrence not yet written: new, returned, due for a refresh, rate-limited or failed.</summary>
    public bool Pending { get; set; }
}
