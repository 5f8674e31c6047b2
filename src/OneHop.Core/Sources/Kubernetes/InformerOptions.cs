namespace OneHop.Core.Sources.Kubernetes;

/// <summary>Timings of the list+watch loop; the defaults follow client-go's reflector.</summary>
internal sealed record InformerOptions
{
    /// <summary>Items per LIST page.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Each watch asks the server to end it after a random time in [min, max], like client-go (5–10 min).</summary>
    public TimeSpan WatchTimeoutMin { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan WatchTimeoutMax { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A watch silent this long past its own timeout is presumed dead (half-open TCP) and restarted.</summary>
    public TimeSpan WatchdogGrace { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a forbidden kind is tried again (RBAC may be fixed while OneHop runs).</summary>
    public TimeSpan ForbiddenRetry { get; init; } = TimeSpan.FromSeconds(30);
}
