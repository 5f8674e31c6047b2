namespace OneHop.Core.Proxy.Http.Tracing;

/// <summary>Whether requests are traced: with tracing off (<see cref="Off"/>) no request starts a span or reads a trace header.</summary>
internal sealed class HttpTracing(bool enabled)
{
    public static readonly HttpTracing Off = new(false);

    public bool Enabled => enabled;
}
