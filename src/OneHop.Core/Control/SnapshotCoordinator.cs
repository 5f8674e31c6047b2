using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Proxy;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.Sources;
using OneHop.Core.Sources.Config;
using OneHop.Core.State;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Control;

/// <summary>
/// The one place routing is rebuilt. Sources only signal; the coordinator coalesces signals, waits until every
/// source has synced once, merges their state, runs the translator and hands changed snapshots to the data plane.
/// A build that fails leaves the last snapshot serving.
/// </summary>
internal sealed partial class SnapshotCoordinator
{
    private readonly IReadOnlyList<IObjectSource> _sources;
    private readonly IConfigSource _config;
    private readonly Func<OneHopConfig, OneHopConfig> _overrides;
    private readonly IReadOnlyList<ISnapshotConsumer> _consumers;
    private readonly IReadOnlyList<IDataPlane> _dataPlanes;
    private readonly ControlPlaneMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CoordinatorOptions _options;
    private readonly IPodReachabilitySource? _reachability;
    private readonly AsyncSignal _changed = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _buildLock = new();
    private volatile ControlPlaneStatus _status = ControlPlaneStatus.Initial;
    private TranslationMemory _memory = TranslationMemory.Empty;
    private readonly TranslationCache _cache = new();
    private (ImmutableArray<SourceSnapshot> Sources, ConfigSnapshot Config, ImmutableDictionary<string, Diagnostic> Crashes, PodReachability Reach)? _lastInputs;
    private ImmutableDictionary<string, Diagnostic> _crashes = ImmutableDictionary<string, Diagnostic>.Empty;
    private OneHopConfig? _lastConfig;
    private HashSet<Diagnostic> _reported = [];
    private long _firstVersion;
    private long _buildStartedAt;
    private long _buildVersion;
    private TimeSpan _lastBuildDuration;

    public SnapshotCoordinator(
        IReadOnlyList<IObjectSource> sources,
        IConfigSource config,
        Func<OneHopConfig, OneHopConfig> overrides,
        IReadOnlyList<ISnapshotConsumer> consumers,
        ControlPlaneMetrics metrics,
        TimeProvider time,
        ILogger<SnapshotCoordinator> logger,
        CoordinatorOptions? options = null,
        IPodReachabilitySource? reachability = null)
    {
        _sources = sources;
        _config = config;
        _overrides = overrides;
        _consumers = consumers;
        _dataPlanes = [.. consumers.OfType<IDataPlane>()];
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _options = options ?? new CoordinatorOptions();
        _reachability = reachability;
        foreach (var dataPlane in _dataPlanes)
        {
            dataPlane.Applied += OnApplied;
        }
    }

    public ControlPlaneStatus Status => _status;

    /// <summary>True once every source has synced and the first snapshot built from them is serving.</summary>
    public bool IsReady => _firstVersion > 0 && _dataPlanes.All(d => d.AppliedVersion >= _firstVersion);

    /// <summary>Completes once <see cref="IsReady"/> first turns true.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Why <see cref="IsReady"/> is false, for /readyz.</summary>
    public string NotReadyReason
    {
        get
        {
            var waiting = _sources.Where(s => !s.Current.Synced).Select(s => s.Name)
                .Concat(_config.Current.Synced ? [] : [_config.Name]).ToList();
            if (waiting.Count > 0)
            {
                return $"waiting for the first sync of: {string.Join(", ", waiting)}";
            }

            if (_dataPlanes.Where(d => d.AppliedVersion < _firstVersion).Select(d => d.Waiting).FirstOrDefault(w => w is not null) is { } waitingFor)
            {
                return $"waiting for {waitingFor}";
            }

            return _dataPlanes.Select(d => d.LastError).FirstOrDefault(e => e is not null) is { } error
                ? $"the data plane rejected the first snapshot: {error}"
                : "waiting for the first snapshot to be applied";
        }
    }

    /// <summary>What a ready OneHop does not serve of its snapshot (a Gateway port that could not be bound); else null.</summary>
    public string? ReadyWarning => IsReady && _dataPlanes.Select(d => d.LastError).Where(e => e is not null).ToList() is { Count: > 0 } errors
        ? string.Join("; ", errors)
        : null;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var running = _sources.Select(s => RunSourceAsync(s.Name, ct => s.RunAsync(_changed.Set, ct), cancellationToken))
            .Append(RunSourceAsync(_config.Name, ct => _config.RunAsync(_changed.Set, ct), cancellationToken))
            .Append(_reachability is { } reachability ? RunSourceAsync("reachability", ct => reachability.RunAsync(_changed.Set, ct), cancellationToken) : Task.CompletedTask)
            .ToList();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await _changed.WaitAsync(cancellationToken).ConfigureAwait(false);

                // Signals during the window or the build coalesce into the next round (AsyncSignal holds one).
                var window = TimeSpan.FromTicks(Math.Max(_options.Window.Ticks, _lastBuildDuration.Ticks / 2));
                await Task.Delay(window, _time, cancellationToken).ConfigureAwait(false);
                var started = _time.GetTimestamp();
                Rebuild();
                _lastBuildDuration = _time.GetElapsedTime(started);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>Builds and publishes a snapshot from the sources' current state, if anything changed.</summary>
    public void Rebuild()
    {
        lock (_buildLock)
        {
            var sources = _sources.Select(s => s.Current).ToImmutableArray();
            var config = _config.Current;
            var sourceStatus = _sources.Zip(sources, (s, c) => new SourceStatus(s.Name, c.Synced, c.LastSync, c.State.Count, c.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error)) { Kinds = c.Kinds })
                .Append(new SourceStatus(_config.Name, config.Synced, config.LastLoad, 0, config.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error)))
                .ToImmutableArray();
            foreach (var s in sourceStatus)
            {
                _metrics.Source(s.Name, s.Synced, s.LastSync);
                foreach (var kind in s.Kinds)
                {
                    _metrics.Kind(s.Name, kind);
                }
            }

            if (!config.Synced || sources.Any(s => !s.Synced))
            {
                _status = _status with { Sources = sourceStatus };
                return;
            }

            var crashes = _crashes;
            var reach = _reachability?.Current ?? PodReachability.Empty;
            if (_lastInputs is { } last && last.Config == config && last.Crashes == crashes && last.Reach == reach
                && last.Sources.Length == sources.Length && last.Sources.Zip(sources).All(p => p.First.SameInputs(p.Second)))
            {
                // Nothing the translator reads changed (a bookmark, a re-sent object): only the sync times move on.
                _status = _status with { Sources = sourceStatus };
                return;
            }

            _lastInputs = (sources, config, crashes, reach);
            Build(sources, config, sourceStatus, reach);
        }
    }

    private void Build(ImmutableArray<SourceSnapshot> sources, ConfigSnapshot config, ImmutableArray<SourceStatus> sourceStatus, PodReachability reach)
    {
        var started = _time.GetTimestamp();
        var merged = Merge(sources, out var mergeDiagnostics);
        var effective = WithNodeZone(_overrides(config.Config), merged);
        TranslationResult result;
        try
        {
            result = Translator.Translate(new TranslatorInput(merged, effective, _memory) { Cache = _cache, Reachability = reach });
        }
        catch (Exception ex)
        {
            // A translator crash is a bug; the data plane keeps the last snapshot and the admin API shows it.
            _metrics.BuildFailed();
            Log.BuildCrashed(_logger, ex);
            _status = _status with { LastBuild = _time.GetUtcNow(), LastBuildError = ex.ToString(), Sources = sourceStatus };
            return;
        }

        _metrics.BuildSucceeded(_time.GetElapsedTime(started));
        _memory = result.Memory;
        var diagnostics = _crashes.Values.OrderBy(d => d.Origin?.Source, StringComparer.Ordinal)
            .Concat(sources.SelectMany(s => s.Diagnostics))
            .Concat(config.Diagnostics)
            .Concat(mergeDiagnostics)
            .Concat(result.Diagnostics)
            .ToImmutableArray();
        ReportNew(diagnostics);
        _metrics.Diagnostics(diagnostics);

        var version = _status.Version;
        // A config change the snapshot does not show (defaults, topology, forwarded headers, certificate files) is
        // still a new version: the data plane takes those from the config handed over with the snapshot.
        if (version == 0 || !result.Snapshot.Equals(_status.Snapshot) || !Equals(effective, _lastConfig))
        {
            version++;
            _lastConfig = effective;
            if (_firstVersion == 0)
            {
                _firstVersion = version;
            }

            Interlocked.Exchange(ref _buildStartedAt, started);
            Interlocked.Exchange(ref _buildVersion, version);
            _metrics.Published(result.Snapshot);
            Log.Publishing(_logger, version, result.Snapshot.Routes.Length, result.Snapshot.Backends.Length);
            _status = new ControlPlaneStatus(version, result.Snapshot, _time.GetUtcNow(), diagnostics, result.Ignored, sourceStatus, null) { Served = result.Served, GatewayStatus = result.GatewayStatus };
        }
        else
        {
            _status = _status with { LastBuild = _time.GetUtcNow(), Diagnostics = diagnostics, Ignored = result.Ignored, Sources = sourceStatus, LastBuildError = null, Served = result.Served, GatewayStatus = result.GatewayStatus };
        }

        // In the coordinator's order: certificates before the routes that need them, the data planes, then whoever
        // reports on them. The snapshot object is the published one, so consumers can tell an unchanged one by reference.
        var published = new PublishedSnapshot(_status.Version, _status.Snapshot, _lastConfig!, merged, _status.Served)
        {
            GatewayStatus = _status.GatewayStatus,
            Diagnostics = _status.Diagnostics,
            ReachTargets = result.ReachTargets,
        };
        foreach (var consumer in _consumers)
        {
            consumer.Apply(published);
        }
    }

    /// <summary>The zone of this replica's Node when neither --zone nor the config file names one.</summary>
    private OneHopConfig WithNodeZone(OneHopConfig config, ClusterState cluster) =>
        config.Topology.Zone is null
        && _options.NodeName is { } name
        && cluster.Nodes.TryGetValue(new ObjectKey(string.Empty, name), out var node)
        && node.Metadata.Labels?.TryGetValue(KubeKinds.ZoneLabel, out var zone) == true
        && !string.IsNullOrEmpty(zone)
            ? config with { Topology = config.Topology with { Zone = zone } }
            : config;

    private static ClusterState Merge(ImmutableArray<SourceSnapshot> sources, out IReadOnlyList<Diagnostic> diagnostics)
    {
        if (sources.Length == 1)
        {
            diagnostics = [];
            return sources[0].State;
        }

        var builder = new ClusterStateBuilder(ObjectOrigin.Kubernetes);
        foreach (var source in sources)
        {
            builder.AddAll(source.State);
        }

        diagnostics = builder.Diagnostics;
        return builder.Build();
    }

    private void ReportNew(ImmutableArray<Diagnostic> diagnostics)
    {
        var current = diagnostics.ToHashSet();
        foreach (var diagnostic in diagnostics.Where(d => !_reported.Contains(d)))
        {
            switch (diagnostic.Severity)
            {
                case DiagnosticSeverity.Error:
                    Log.Error(_logger, diagnostic.ToString());
                    break;
                case DiagnosticSeverity.Warning:
                    Log.Warning(_logger, diagnostic.ToString());
                    break;
                default:
                    Log.Info(_logger, diagnostic.ToString());
                    break;
            }
        }

        _reported = current;
    }

    private void OnApplied(long version)
    {
        if (IsReady)
        {
            _ready.TrySetResult();
        }

        if (version == Interlocked.Read(ref _buildVersion))
        {
            _metrics.Applied(version, _time.GetElapsedTime(Interlocked.Read(ref _buildStartedAt)));
        }
    }

    /// <summary>
    /// Runs a source and restarts it when it crashes (a bug, or an I/O failure it did not expect), after a growing
    /// pause. A source keeps its last good state meanwhile, so routing never clears; the crash shows in /api/status
    /// until the restarted source runs cleanly for a while.
    /// </summary>
    private async Task RunSourceAsync(string name, Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        var pause = _options.SourceRestartInitial;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            try
            {
                await run(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                pause = _time.GetElapsedTime(started) > _options.SourceRestartMax ? _options.SourceRestartInitial : pause;
                Log.SourceCrashed(_logger, name, pause.TotalSeconds, ex);
                ImmutableInterlocked.Update(ref _crashes, c => c.SetItem(name, Diagnostic.Error(
                    DiagnosticCodes.SourceCrashed,
                    $"the {name} source stopped ({ex.GetType().Name}: {ex.Message}); its last state stays in place and it restarts in {pause.TotalSeconds:0.#}s",
                    origin: new ObjectOrigin(name))));
                _changed.Set();
            }

            try
            {
                await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _options.SourceRestartMax.Ticks));
            _ = ClearCrashWhenStableAsync(name, cancellationToken);
        }
    }

    /// <summary>Forgets a source's crash once it has run a full restart interval without crashing again.</summary>
    private async Task ClearCrashWhenStableAsync(string name, CancellationToken cancellationToken)
    {
        var crash = _crashes.GetValueOrDefault(name);
        try
        {
            await Task.Delay(_options.SourceRestartMax, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // Only this crash: a newer one (it crashed again meanwhile) stays.
        if (ImmutableInterlocked.Update(ref _crashes, c => c.TryGetValue(name, out var d) && ReferenceEquals(d, crash) ? c.Remove(name) : c))
        {
            _changed.Set();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Information, "Publishing routing snapshot {Version}: {Routes} routes, {Backends} backends")]
        public static partial void Publishing(ILogger logger, long version, int routes, int backends);

        [LoggerMessage(102, LogLevel.Error, "{Diagnostic}")]
        public static partial void Error(ILogger logger, string diagnostic);

        [LoggerMessage(103, LogLevel.Warning, "{Diagnostic}")]
        public static partial void Warning(ILogger logger, string diagnostic);

        [LoggerMessage(104, LogLevel.Debug, "{Diagnostic}")]
        public static partial void Info(ILogger logger, string diagnostic);

        [LoggerMessage(105, LogLevel.Critical, "Building the routing snapshot failed; the previous snapshot keeps serving")]
        public static partial void BuildCrashed(ILogger logger, Exception exception);

        [LoggerMessage(106, LogLevel.Critical, "Source {Source} stopped; its last state stays in place and it restarts in {Seconds}s")]
        public static partial void SourceCrashed(ILogger logger, string source, double seconds, Exception exception);
    }
}
