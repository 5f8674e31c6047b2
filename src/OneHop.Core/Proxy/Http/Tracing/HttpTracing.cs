using OneHop.Core.Telemetry.Tracing;

namespace OneHop.Core.Proxy.Http.Tracing;

/// <summary>
/// Whether requests are traced: with tracing off (<see cref="Off"/>) no request starts a span or reads a trace header.
/// With it on, <paramref name="roots"/> draws the share of requests without a client's <c>traceparent</c> that get a
/// span.
/// </summary>
internal sealed class HttpTracing(bool enabled, RootSampler roots)
{
    public static readonly HttpTracing Off = new(false, new RootSampler(0));

    public HttpTracing(bool enabled, double rootSampleRatio = 1.0)
        : this(enabled, new RootSampler(rootSampleRatio))
    {
    }

    public bool Enabled => enabled;

    /// <summary>True when a request without a parent is to be traced (one draw per call).</summary>
    public bool SamplesRoot() => roots.Samples();
}
