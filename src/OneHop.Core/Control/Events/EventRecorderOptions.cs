namespace OneHop.Core.Control.Events;

/// <summary>Who reports the Events, and how often and how many; the defaults follow client-go's recorders.</summary>
/// <param name="ReportingInstance">This replica's name (the pod name in-cluster), the Events' <c>reportingInstance</c>.</param>
internal sealed record EventRecorderOptions(string ReportingInstance)
{
    /// <summary>The Events' <c>reportingController</c>.</summary>
    public const string ReportingController = "onehop.dev/onehop";

    /// <summary>The Events' <c>action</c>: what OneHop was doing when it found the problem.</summary>
    public const string Action = "Routing";

    /// <summary>Events one object may get at once (client-go's spam filter: 25).</summary>
    public int ObjectBurst { get; init; } = 25;

    /// <summary>How often an object earns another Event once its burst is spent (client-go's spam filter: one per 5 minutes).</summary>
    public TimeSpan ObjectInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Writes at once across all objects: the findings of a start-up go out quickly, then five a second.</summary>
    public int GlobalBurst { get; init; } = 25;

    /// <summary>How often another write is allowed once the global burst is spent (client-go's default client: 5 a second).</summary>
    public TimeSpan GlobalInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How often a finding that persists is counted again (its series moves on). The API server deletes an Event an
    /// hour after its last write (<c>--event-ttl</c>), so this keeps the Event of a problem that is still there.
    /// </summary>
    public TimeSpan Refresh { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long after its last write an Event is taken to exist (the API server's default <c>--event-ttl</c>): a
    /// finding that returns within it continues the series, later it starts a new Event.
    /// </summary>
    public TimeSpan EventTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often the recorder looks again when nothing new arrives (pending writes, refreshes).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first pause after the API server refused or failed a write; it doubles up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(5);
}
