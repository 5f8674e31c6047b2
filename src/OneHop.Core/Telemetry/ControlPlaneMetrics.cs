using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;

namespace OneHop.Core.Telemetry;

/// <summary>Snapshot builds and applies, diagnostics and sources: is routing current, and is the input sound?</summary>
internal sealed class ControlPlaneMetrics
{
    /// <summary>Translation and apply times run from a tenth of a millisecond (a small change) to seconds (a large cluster).</summary>
    private static readonly double[] SecondsBuckets = [.. Enumerable.Range(0, 14).Select(i => 0.0001 * Math.Pow(2.5, i))];

    private readonly Counter<long> _builds;
    private readonly Histogram<double> _buildDuration;
    private readonly Histogram<double> _applyDuration;
    private readonly Gauge<long> _version;
    private readonly Gauge<long> _diagnostics;
    private readonly Gauge<int> _sourceSynced;
    private readonly Gauge<double> _sourceLastSync;
    private readonly Gauge<int> _kindSynced;
    private readonly Gauge<double> _kindLastSync;
    private readonly Gauge<int> _kindForbidden;
    private readonly Gauge<long> _routes;
    private readonly Gauge<long> _backends;
    private readonly Gauge<long> _endpoints;

    /// <summary>Full LISTs per watched kind so far, as the informers report them; exported as a counter.</summary>
    private readonly ConcurrentDictionary<(string Source, string Kind, string Namespace), long> _lists = new();

    public ControlPlaneMetrics(Meter meter)
    {
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets };
        _builds = meter.CreateCounter<long>("onehop.snapshot.builds", "{build}", "Routing snapshot builds, by result (success or failure).");
        _buildDuration = meter.CreateHistogram("onehop.snapshot.build_duration", "s", "Time to translate the cluster state into a snapshot.", advice: seconds);
        _applyDuration = meter.CreateHistogram("onehop.snapshot.apply_duration", "s", "Time from starting a rebuild to the data plane serving the new snapshot.", advice: seconds);
        _version = meter.CreateGauge<long>("onehop.snapshot.version", null, "Version of the snapshot the data plane serves.");
        _diagnostics = meter.CreateGauge<long>("onehop.diagnostics", "{finding}", "Current findings about the input, by severity.");
        _sourceSynced = meter.CreateGauge<int>("onehop.source.synced", null, "1 once a source has loaded its input.");
        _sourceLastSync = meter.CreateGauge<double>("onehop.source.last_sync_timestamp", "s", "When a source last read its input successfully (Unix time).");
        _kindSynced = meter.CreateGauge<int>("onehop.source.kind_synced", null, "1 once a watched kind has completed its first list.");
        _kindLastSync = meter.CreateGauge<double>("onehop.source.kind_last_sync_timestamp", "s", "When a watched kind was last known current (list, event or bookmark), Unix time; now minus this is its staleness.");
        _kindForbidden = meter.CreateGauge<int>("onehop.source.kind_forbidden", null, "1 while the API server forbids OneHop to watch a kind (RBAC).");
        meter.CreateObservableCounter(
            "onehop.source.kind_lists",
            () => _lists.Select(l => new Measurement<long>(l.Value, Tags(l.Key.Source, l.Key.Kind, l.Key.Namespace))),
            "{list}",
            "Full LISTs of a kind so far (the first, and one per expired resourceVersion).");
        _routes = meter.CreateGauge<long>("onehop.routes", "{route}", "Routes in the current snapshot.");
        _backends = meter.CreateGauge<long>("onehop.backends", "{backend}", "Backends in the current snapshot.");
        _endpoints = meter.CreateGauge<long>("onehop.endpoints", "{endpoint}", "Endpoints in the current snapshot, by state.");
        Diagnostics([]);
    }

    public void BuildSucceeded(TimeSpan duration)
    {
        _builds.Add(1, new KeyValuePair<string, object?>("result", "success"));
        _buildDuration.Record(duration.TotalSeconds);
    }

    public void BuildFailed() => _builds.Add(1, new KeyValuePair<string, object?>("result", "failure"));

    public void Applied(long version, TimeSpan sinceBuildStart)
    {
        _version.Record(version);
        _applyDuration.Record(sinceBuildStart.TotalSeconds);
    }

    public void Published(RoutingSnapshot snapshot)
    {
        _routes.Record(snapshot.Routes.Length);
        _backends.Record(snapshot.Backends.Length);
        foreach (var state in Enum.GetValues<EndpointState>())
        {
            _endpoints.Record(snapshot.Backends.Sum(b => b.Endpoints.Count(e => e.State == state)), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
        }
    }

    public void Diagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        var counts = diagnostics.GroupBy(d => d.Severity).ToDictionary(g => g.Key, g => g.Count());
        foreach (var severity in Enum.GetValues<DiagnosticSeverity>())
        {
            _diagnostics.Record(counts.GetValueOrDefault(severity), new KeyValuePair<string, object?>("severity", severity.ToString().ToLowerInvariant()));
        }
    }

    public void Kind(string source, Sources.Kubernetes.InformerStatus kind)
    {
        var ns = kind.Namespace ?? string.Empty;
        var tags = Tags(source, kind.Kind, ns);
        _kindSynced.Record(kind.Synced ? 1 : 0, tags);
        _kindForbidden.Record(kind.Forbidden ? 1 : 0, tags);
        _lists[(source, kind.Kind, ns)] = kind.Relists;
        if (kind.LastSync is { } at)
        {
            _kindLastSync.Record(at.ToUnixTimeMilliseconds() / 1000.0, tags);
        }
    }

    public void Source(string name, bool synced, DateTimeOffset? lastSync)
    {
        var tag = new KeyValuePair<string, object?>("source", name);
        _sourceSynced.Record(synced ? 1 : 0, tag);
        if (lastSync is { } at)
        {
            _sourceLastSync.Record(at.ToUnixTimeMilliseconds() / 1000.0, tag);
        }
    }

    private static KeyValuePair<string, object?>[] Tags(string source, string kind, string ns) =>
        [new("source", source), new("kind", kind), new("namespace", ns)];
}
