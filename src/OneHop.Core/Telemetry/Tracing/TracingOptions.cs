namespace OneHop.Core.Telemetry.Tracing;

/// <summary>Where spans go (<c>--otlp-endpoint</c>, OTLP over HTTP/protobuf) and which share of traces is kept (<c>--trace-sample-ratio</c>).</summary>
/// <param name="Endpoint">The collector's base URL (<c>/v1/traces</c> is added unless the URL has a path).</param>
/// <param name="SampleRatio">0–1: the share of requests without a sampled parent that are recorded; a client's sampled parent is followed.</param>
internal sealed record TracingOptions(Uri Endpoint, double SampleRatio = 1.0)
{
    /// <summary>The URL spans are posted to.</summary>
    public Uri TracesUrl => Endpoint.AbsolutePath is "" or "/" ? new Uri(Endpoint, "/v1/traces") : Endpoint;
}
