namespace OneHop.Core.Balancing;

/// <summary>Constants shared by the peak-EWMA picker and the accounting that feeds it.</summary>
internal static class PeakEwmaDefaults
{
    /// <summary>
    /// The latency a pod is assumed to have before its first response, so that a new pod does not look free and
    /// draw every request (Linkerd starts new endpoints at a default RTT for the same reason).
    /// </summary>
    public static readonly TimeSpan InitialLatency = TimeSpan.FromMilliseconds(50);
}
