namespace OneHop.Core.Control;

internal sealed record CoordinatorOptions
{
    /// <summary>
    /// How long after the first change signal the coordinator gathers more before rebuilding. Fixed, not extended by
    /// later signals: a burst costs one rebuild per window, and under steady churn (100 EndpointSlice writes a
    /// second) no change waits longer than a window and a build. A quiet-time debounce would keep waiting for a gap
    /// that steady churn rarely leaves (measured: 70 ms on average at 110 changes/s with 20 ms of quiet). When the
    /// last build took longer than the window, the window is that long instead, so that builds take at most half of
    /// a core however fast the changes come.
    /// </summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMilliseconds(10);
}
