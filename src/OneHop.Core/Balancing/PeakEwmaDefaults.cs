namespace OneHop.Core.Balancing;

/// <summary>Constants shared by the peak-EWMA picker and the accounting that feeds it.</summary>
internal static class PeakEwmaDefaults
{
    /// <summary>
    /// The latency assumed for pods that have not answered yet when none of the pods compared with them has either
    /// (otherwise they are priced at their peers' mean), so that they do not look free and draw every request.
    /// </summary>
    public static readonly TimeSpan InitialLatency = TimeSpan.FromMilliseconds(50);
}
