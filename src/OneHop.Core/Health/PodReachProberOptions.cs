namespace OneHop.Core.Health;

/// <summary>How often and how patiently <see cref="PodReachProber"/> probes each node's pods.</summary>
/// <param name="Interval">Between two probes of one node.</param>
/// <param name="Timeout">How long a connect may take before the node counts as unreachable.</param>
/// <param name="Threshold">Consecutive probes that must agree before a node changes side; the first probe decides at once.</param>
internal sealed record PodReachProberOptions(TimeSpan Interval, TimeSpan Timeout, int Threshold)
{
    public static readonly PodReachProberOptions Default = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), 2);
}
