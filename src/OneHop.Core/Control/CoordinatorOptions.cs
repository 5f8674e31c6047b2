namespace OneHop.Core.Control;

internal sealed record CoordinatorOptions
{
    /// <summary>
    /// How long after the first change signal the coordinator gathers more before rebuilding. Fixed, not extended by
    /// later signals: a burst costs one rebuild per window, and under steady churn (100 EndpointSlice writes a
    /// second) no change waits longer than a window and a build. A quiet-time debounce would keep waiting for a gap
    /// that steady churn rarely leaves (measured: 70 ms on average at 110 changes/s with 20 ms of quiet). When half
    /// the last build is longer than the window, the window is that long instead, so that builds take at most two
    /// thirds of a core however fast the changes come (a full build's length: p99 141 instead of 104 ms, measured).
    /// </summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The node this replica runs on (in-cluster: <c>spec.nodeName</c> through the downward API, env NODE_NAME). When
    /// the config names no zone, the replica's zone is that Node's <c>topology.kubernetes.io/zone</c> label.
    /// </summary>
    public string? NodeName { get; init; }

    /// <summary>The pause before a crashed source is restarted; it doubles with each crash up to <see cref="SourceRestartMax"/>.</summary>
    public TimeSpan SourceRestartInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between restarts; a source that ran this long without crashing starts over at the initial pause.</summary>
    public TimeSpan SourceRestartMax { get; init; } = TimeSpan.FromSeconds(30);
}
