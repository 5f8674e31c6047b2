namespace Propagation;

/// <summary>Everything one run measured, for <see cref="Report"/>.</summary>
internal sealed record Figures
{
    public required BenchOptions Options { get; init; }
    public required int Endpoints { get; init; }
    public required int SeededObjects { get; init; }
    public required TimeSpan SeedTime { get; init; }
    public required TimeSpan ReadyTime { get; init; }
    public required IReadOnlyList<Sample> Samples { get; init; }
    public required int SkippedTicks { get; init; }
    public required TimeSpan Window { get; init; }
    public required long ChurnWrites { get; init; }
    public required long MeasuredWrites { get; init; }
    public required double IdleCpuPercent { get; init; }
    public required double WindowCpuSeconds { get; init; }
    public required double DriverCpuSeconds { get; init; }

    /// <summary>How busy the whole machine was in the window, everyone included, as a share of all its cores.</summary>
    public required double MachineBusyPercent { get; init; }
    public required int MachineCores { get; init; }
    public required long PeakRss { get; init; }
    public required long ReadyRss { get; init; }
    public required long EndRss { get; init; }
    public required MetricsScrape Before { get; init; }
    public required MetricsScrape After { get; init; }
}
