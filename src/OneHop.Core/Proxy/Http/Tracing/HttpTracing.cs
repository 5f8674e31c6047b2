namespace OneHop.Core.Proxy.Http.Tracing;

/// <summary>
/// Whether requests are traced: with tracing off (<see cref="Off"/>) no request starts a span or reads a trace header.
/// With it on, <paramref name="rootSampleRatio"/> is the share of requests without a client's <c>traceparent</c> that
/// get a span; the draw is made here, before any span exists, because OpenTelemetry's ratio sampler still creates an
/// unrecorded <see cref="System.Diagnostics.Activity"/> (and its ids) for every root it drops.
/// </summary>
internal sealed class HttpTracing(bool enabled, double rootSampleRatio = 1.0)
{
    public static readonly HttpTracing Off = new(false);

    public bool Enabled => enabled;

    /// <summary>True when a request without a parent is to be traced (one draw per call).</summary>
    public bool SamplesRoot() => rootSampleRatio >= 1 || (rootSampleRatio > 0 && Random.Shared.NextDouble() < rootSampleRatio);
}
