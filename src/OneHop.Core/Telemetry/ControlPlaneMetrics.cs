using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using Prometheus;

namespace OneHop.Core.Telemetry;

/// <summary>Snapshot builds and applies, diagnostics and sources: is routing current, and is the input sound?</summary>
internal sealed class ControlPlaneMetrics
{
    private readonly Counter _builds;
    private readonly Histogram _buildDuration;
    private readonly Histogram _applyDuration;
    private readonly Gauge _version;
    private readonly Gauge _diagnostics;
    private readonly Gauge _sourceSynced;
    private readonly Gauge _sourceLastSync;
    private readonly Gauge _kindSynced;
    private readonly Gauge _kindLastSync;
    private readonly Gauge _kindForbidden;
    private readonly Gauge _kindRelists;
    private readonly Gauge _routes;
    private readonly Gauge _backends;
    private readonly Gauge _endpoints;

    public ControlPlaneMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        var seconds = Histogram.ExponentialBuckets(0.0001, 2.5, 14);
        _builds = factory.CreateCounter("onehop_snapshot_builds_total", "Routing snapshot builds, by result (success or failure).", "result");
        _buildDuration = factory.CreateHistogram("onehop_snapshot_build_duration_seconds", "Time to translate the cluster state into a snapshot.", new HistogramConfiguration { Buckets = seconds });
        _applyDuration = factory.CreateHistogram("onehop_snapshot_apply_duration_seconds", "Time from starting a rebuild to the data plane serving the new snapshot.", new HistogramConfiguration { Buckets = seconds });
        _version = factory.CreateGauge("onehop_snapshot_version", "Version of the snapshot the data plane serves.");
        _diagnostics = factory.CreateGauge("onehop_diagnostics", "Current findings about the input, by severity.", "severity");
        _sourceSynced = factory.CreateGauge("onehop_source_synced", "1 once a source has loaded its input.", "source");
        _sourceLastSync = factory.CreateGauge("onehop_source_last_sync_timestamp_seconds", "When a source last read its input successfully (Unix time).", "source");
        _kindSynced = factory.CreateGauge("onehop_source_kind_synced", "1 once a watched kind has completed its first list.", "source", "kind", "namespace");
        _kindLastSync = factory.CreateGauge("onehop_source_kind_last_sync_timestamp_seconds", "When a watched kind was last known current (list, event or bookmark), Unix time; now minus this is its staleness.", "source", "kind", "namespace");
        _kindForbidden = factory.CreateGauge("onehop_source_kind_forbidden", "1 while the API server forbids OneHop to watch a kind (RBAC).", "source", "kind", "namespace");
        _kindRelists = factory.CreateGauge("onehop_source_kind_lists", "Full LISTs of a kind so far (the first, and one per expired resourceVersion).", "source", "kind", "namespace");
        _routes = factory.CreateGauge("onehop_routes", "Routes in the current snapshot.");
        _backends = factory.CreateGauge("onehop_backends", "Backends in the current snapshot.");
        _endpoints = factory.CreateGauge("onehop_endpoints", "Endpoints in the current snapshot, by state.", "state");
        foreach (var severity in Enum.GetValues<DiagnosticSeverity>())
        {
            _diagnostics.WithLabels(severity.ToString().ToLowerInvariant()).Set(0);
        }
    }

    public void BuildSucceeded(TimeSpan duration)
    {
        _builds.WithLabels("success").Inc();
        _buildDuration.Observe(duration.TotalSeconds);
    }

    public void BuildFailed() => _builds.WithLabels("failure").Inc();

    public void Applied(long version, TimeSpan sinceBuildStart)
    {
        _version.Set(version);
        _applyDuration.Observe(sinceBuildStart.TotalSeconds);
    }

    public void Published(RoutingSnapshot snapshot)
    {
        _routes.Set(snapshot.Routes.Length);
        _backends.Set(snapshot.Backends.Length);
        foreach (var state in Enum.GetValues<EndpointState>())
        {
            _endpoints.WithLabels(state.ToString().ToLowerInvariant()).Set(snapshot.Backends.Sum(b => b.Endpoints.Count(e => e.State == state)));
        }
    }

    public void Diagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        var counts = diagnostics.GroupBy(d => d.Severity).ToDictionary(g => g.Key, g => g.Count());
        foreach (var severity in Enum.GetValues<DiagnosticSeverity>())
        {
            _diagnostics.WithLabels(severity.ToString().ToLowerInvariant()).Set(counts.GetValueOrDefault(severity));
        }
    }

    public void Kind(string source, Sources.Kubernetes.InformerStatus kind)
    {
        var ns = kind.Namespace ?? string.Empty;
        _kindSynced.WithLabels(source, kind.Kind, ns).Set(kind.Synced ? 1 : 0);
        _kindForbidden.WithLabels(source, kind.Kind, ns).Set(kind.Forbidden ? 1 : 0);
        _kindRelists.WithLabels(source, kind.Kind, ns).Set(kind.Relists);
        if (kind.LastSync is { } at)
        {
            _kindLastSync.WithLabels(source, kind.Kind, ns).Set(at.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    public void Source(string name, bool synced, DateTimeOffset? lastSync)
    {
        _sourceSynced.WithLabels(name).Set(synced ? 1 : 0);
        if (lastSync is { } at)
        {
            _sourceLastSync.WithLabels(name).Set(at.ToUnixTimeMilliseconds() / 1000.0);
        }
    }
}
