using OneHop.Core.Concurrency;

namespace OneHop.Core.Telemetry.Tracing;

/// <summary>
/// The share of new traces OneHop starts itself (a request without a client's <c>traceparent</c>, an L4 connection).
/// Drawn here, before any span exists, because OpenTelemetry's ratio sampler still creates an unrecorded
/// <see cref="System.Diagnostics.Activity"/> (and its ids) for every root it drops.
/// </summary>
internal sealed class RootSampler(double ratio, IRandomSource random)
{
    public RootSampler(double ratio)
        : this(ratio, SharedRandomSource.Instance)
    {
    }

    /// <summary>True when the next root is to be traced (one draw per call).</summary>
    public bool Samples() => ratio >= 1 || (ratio > 0 && random.NextDouble() < ratio);
}
