using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace OneHop.Core.Telemetry;

/// <summary>
/// The metrics of one running OneHop and their export: the <see cref="ScopedMeterFactory"/> every OneHop, Kestrel and
/// ASP.NET Core instrument of this server is created from, and one OpenTelemetry <see cref="MeterProvider"/> with the
/// Prometheus exporter behind <c>/metrics</c> (Prometheus text, or OpenMetrics when the scraper asks for it).
/// </summary>
/// <remarks>
/// A provider listens to meters by name across the whole process, so two servers in one process (the tests) would
/// each export the sum of both. The view below keeps only instruments whose meter this server's factory made, plus the
/// runtime's process-wide meter. Each instrument keeps at most <see cref="SeriesLimit"/> series: the SDK cannot forget a
/// series of a cumulative instrument, so instruments labelled per pod forget departed pods by generations
/// (<see cref="PodSeriesMeter{T}"/>), and past the limit new label sets are counted in one series labelled
/// <c>otel_metric_overflow="true"</c> (docs/metrics.md).
/// </remarks>
internal sealed class MetricsExport : IDisposable
{
    /// <summary>The name of OneHop's own meter.</summary>
    public const string MeterName = "OneHop";

    /// <summary>Series per instrument before new label sets fold into the overflow series.</summary>
    public const int SeriesLimit = 5000;

    /// <summary>
    /// The same for the runtime's and Kestrel's instruments, whose labels are a few fixed values (GC generations,
    /// listeners × protocols). The SDK allocates an instrument's series storage for its whole limit up front (about
    /// 400 KB per instrument at 5000), so the limit is kept to what each meter can reach.
    /// </summary>
    public const int FixedLabelsSeriesLimit = 500;

    private const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";

    /// <summary>Process-wide: the GC, thread pool, CPU and memory of the process (the same for every server in it).</summary>
    private const string RuntimeMeter = "System.Runtime";

    /// <summary>
    /// The meters exported: OneHop's, the runtime's, and the framework's requests and connections as ASP.NET Core and
    /// Kestrel count them (not its memory pool's: a detail of the server, not of the traffic).
    /// </summary>
    public static readonly IReadOnlyList<string> MeterNames = [MeterName, RuntimeMeter, "Microsoft.AspNetCore.Hosting", KestrelMeter];

    private readonly MeterProvider _provider;
    private readonly List<Action> _beforeScrape = [];

    public MetricsExport()
    {
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter([.. MeterNames])
            .AddView(Stream)
            .AddPrometheusExporter(o =>
            {
                // Every scrape reads current values (the default caches a response for 300 ms).
                o.ScrapeResponseCacheDurationMilliseconds = 0;

                // No otel_scope_* labels on every series and no target_info: the labels of docs/metrics.md are all there is.
                o.ScopeInfoEnabled = false;
                o.TargetInfoEnabled = false;
            })
            .Build();
        Meter = Meters.Create(MeterName);
    }

    /// <summary>Creates this server's meters; registered as the proxy's <see cref="IMeterFactory"/>.</summary>
    public ScopedMeterFactory Meters { get; } = new();

    /// <summary>OneHop's own meter.</summary>
    public Meter Meter { get; }

    /// <summary>Serves the scrape at <c>/metrics</c> of <paramref name="app"/>.</summary>
    public void MapScrapeEndpoint(IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint("/metrics", _provider, configureBranchedPipeline: scrape => scrape.Use(next => context =>
        {
            foreach (var action in _beforeScrape)
            {
                action();
            }

            return next(context);
        }), optionsName: null);

    /// <summary>Runs <paramref name="action"/> at each scrape before the exporter collects (pruning departed pods' series).</summary>
    public void BeforeScrape(Action action) => _beforeScrape.Add(action);

    public void Dispose()
    {
        _provider.Dispose();
        Meters.Dispose();
    }

    private MetricStreamConfiguration? Stream(Instrument instrument) =>
        instrument.Meter.Name == RuntimeMeter && instrument.Meter.Scope is null ? new MetricStreamConfiguration { CardinalityLimit = FixedLabelsSeriesLimit }
        : !ReferenceEquals(instrument.Meter.Scope, Meters) ? MetricStreamConfiguration.Drop
        : new MetricStreamConfiguration { CardinalityLimit = instrument.Meter.Name == KestrelMeter ? FixedLabelsSeriesLimit : SeriesLimit };
}
