




namespace OneHop.Core.Configuration.Policies;

/// <summary>
/// Passive health: an endpoint that fails <see cref="ConsecutiveFailures"/> requests in a row (connect failures,
/// resets, 5xx) is ejected for <see cref="BaseEjectionTime"/> × its number of ejections (at most 30×), but never
/// more than <see cref="MaxEjectionPercent"/> of a backend's endpoints at once. Zero failures disables it.
/// </summary>
internal sealed record OutlierDetection
{
    public int ConsecutiveFailures { get; init; } = 5;

    public TimeSpan BaseEjectionTime { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxEjectionPercent { get; init; } = 50;

    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan MaxEjectionTime => TimeSpan.FromTicks(BaseEjectionTime.Ticks * 30);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Enabled => ConsecutiveFailures > 0;
}
