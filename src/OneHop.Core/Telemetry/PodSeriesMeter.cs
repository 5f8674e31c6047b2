using System.Diagnostics.Metrics;

namespace OneHop.Core.Telemetry;

/// <summary>
/// Instruments labelled per pod that forget pods which left. The OpenTelemetry SDK keeps every series of a cumulative
/// instrument for the life of its instrument, so a cluster that rolls its pods would add series until the cardinality
/// limit; what the SDK does forget is a disposed instrument (exported one last time at the next collection, then
/// dropped). So the per-pod instruments live on a meter of their own, and a scrape that finds pods gone since this
/// generation began, <see cref="Retention"/> ago or more, starts a new generation: a fresh meter with the same
/// instruments. The series of pods still routed to restart from zero — a counter reset, which Prometheus's
/// <c>rate</c> and <c>increase</c> take as a restart — and the departed pods' series stop.
/// </summary>
/// <remarks>
/// The swap happens just before the scrape collects, so the old generation's last export holds everything recorded
/// into it and the new one is almost always empty at that collection (the exporter leaves empty instruments out);
/// recording reads one volatile field and allocates nothing. Each generation has its own meter version, because the
/// SDK would hand a new instrument the disposed one's stream while that is still awaiting its last export.
/// </remarks>
/// <typeparam name="T">The instruments of one generation, made by the factory given to the constructor.</typeparam>
internal sealed class PodSeriesMeter<T> : IDisposable
    where T : class
{
    /// <summary>How long a departed pod's series may stay before a scrape prunes them.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromMinutes(10);

    private readonly string _name;
    private readonly object? _scope;
    private readonly Func<Meter, T> _create;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private Generation _current;
    private int _number;

    /// <param name="name">The meter's name (OneHop's, so the export takes it like the main meter).</param>
    /// <param name="scope">The scope the export recognises as this server's (<see cref="Meter.Scope"/>).</param>
    /// <param name="create">Creates one generation's instruments on the meter it is given.</param>
    /// <param name="time">The clock the retention is measured with.</param>
    /// <param name="retention">See <see cref="Retention"/>; <see cref="DefaultRetention"/> when null.</param>
    public PodSeriesMeter(string name, object? scope, Func<Meter, T> create, TimeProvider time, TimeSpan? retention = null)
    {
        _name = name;
        _scope = scope;
        _create = create;
        _time = time;
        Retention = retention ?? DefaultRetention;
        _current = NewGeneration();
    }

    /// <summary>The shortest time a generation lives before departed pods can end it.</summary>
    public TimeSpan Retention { get; }

    /// <summary>The current generation's instruments.</summary>
    public T Instruments => Volatile.Read(ref _current).Instruments;

    /// <summary>How many generations have ended (for tests and the log).</summary>
    public int Pruned => Volatile.Read(ref _number) - 1;

    /// <summary>
    /// Called before a scrape collects, with the pods routed to now: starts a new generation when a pod seen during
    /// this one is gone and the generation is at least <see cref="Retention"/> old. Returns whether it did.
    /// </summary>
    public bool PruneDeparted(IEnumerable<string> livePods)
    {
        lock (_lock)
        {
            var live = new HashSet<string>(livePods, StringComparer.Ordinal);
            var departed = _seen.Any(p => !live.Contains(p));
            _seen.UnionWith(live);
            if (!departed || _time.GetUtcNow() - _current.Started < Retention)
            {
                return false;
            }

            var old = _current;
            Volatile.Write(ref _current, NewGeneration());
            old.Meter.Dispose();
            _seen.Clear();
            _seen.UnionWith(live);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _current.Meter.Dispose();
        }
    }

    private Generation NewGeneration()
    {
        var number = Interlocked.Increment(ref _number);
        var meter = new Meter(new MeterOptions(_name) { Version = "pods-" + number, Scope = _scope });
        return new Generation(meter, _create(meter), _time.GetUtcNow());
    }

    private sealed record Generation(Meter Meter, T Instruments, DateTimeOffset Started);
}
