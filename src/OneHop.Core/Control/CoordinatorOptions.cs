namespace OneHop.Core.Control;

internal sealed record CoordinatorOptions
{
    /// <summary>Quiet time after a change signal before rebuilding, so a burst of changes costs one rebuild.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Upper bound on the wait while signals keep coming, so a steady stream still converges.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}
