using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OneHop.Core.Telemetry.Tracing;

/// <summary>
/// OneHop's tracing when on: the OpenTelemetry SDK listening to <see cref="ProxyActivitySource"/>, a parent-based
/// sampler (the ratio applies to roots, drawn before their span starts), and a batch processor exporting to the OTLP collector off the request path (a full batch queue
/// drops spans, as the SDK does). Disposing flushes what is queued.
/// </summary>
internal sealed class ProxyTracing : IDisposable
{
    private readonly TracerProvider _provider;
    private readonly CountingSpanExporter _exporter;

    /// <param name="exporter">Replaces the OTLP exporter (tests); null: OTLP over HTTP/protobuf to the options' endpoint.</param>
    public ProxyTracing(TracingOptions options, TimeProvider time, BaseExporter<Activity>? exporter = null)
    {
        Options = options;
        _exporter = new CountingSpanExporter(exporter ?? new OtlpTraceExporter(new OtlpExporterOptions
        {
            Endpoint = options.TracesUrl,
            Protocol = OtlpExportProtocol.HttpProtobuf,

            // A batch the collector does not take within this (retries included) is counted as lost.
            TimeoutMilliseconds = 5000,
        }), time);
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(ProxyActivitySource.Name)
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("onehop", serviceVersion: typeof(ProxyTracing).Assembly.GetName().Version?.ToString()))
            // Roots are drawn by the request path before any span exists (HttpTracing.SamplesRoot, with the same
            // ratio): the ratio sampler here would still create an unrecorded activity for each root it drops.
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddProcessor(new BatchActivityExportProcessor(_exporter, scheduledDelayMilliseconds: 1000))
            .Build();
    }

    public TracingOptions Options { get; }

    public TracingStatus Status => new(Options.TracesUrl.ToString(), Options.SampleRatio, _exporter.Exported, _exporter.Failed, _exporter.LastFailureAt);

    /// <summary>Exports what is queued now (tests; shutdown does it too).</summary>
    public bool Flush(TimeSpan timeout) => _provider.ForceFlush((int)timeout.TotalMilliseconds);

    public void Dispose() => _provider.Dispose();
}
