




namespace OneHop.Core.Configuration.Policies;

/// <summary>Active HTTP health checking: GET <see cref="Path"/> on every endpoint each <see cref="Interval"/>.</summary>
/// <param name="Path">Path (and optional query) to request; a 2xx or 3xx answer within the timeout is a pass.</param>
/// <param name="Interval">Time between probes of one endpoint.</param>
/// <param name="Timeout">How long a probe may take before it counts as failed.</param>
/// <param name="HealthyThreshold">Consecutive passes that make an unhealthy endpoint healthy again.</param>
/// <param name="UnhealthyThreshold">Consecutive failures that make a healthy endpoint unhealthy.</param>
internal sealed record HealthProbe(string Path, TimeSpan Interval, TimeSpan Timeout, int HealthyThreshold, int UnhealthyThreshold)
{
    public static HealthProbe For(string path) => new(path, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), 2, 3);
}
