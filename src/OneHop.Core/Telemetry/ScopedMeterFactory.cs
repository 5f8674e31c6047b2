using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OneHop.Core.Telemetry;

/// <summary>
/// The <see cref="IMeterFactory"/> of one running OneHop: OneHop's own meter and, registered in the proxy's services,
/// Kestrel's and ASP.NET Core's. Every meter it creates carries it as <see cref="Meter.Scope"/>, which is how
/// <see cref="MetricsExport"/> tells this server's measurements from those of another server in the same process
/// (the tests run many) — meters with the same name are otherwise indistinguishable to a listener.
/// </summary>
/// <remarks>
/// Hand-written instead of the framework's <c>AddMetrics()</c> factory because that one lives inside one service
/// provider, and OneHop has three (proxy, admin, health) plus classes made outside any of them.
/// </remarks>
internal sealed class ScopedMeterFactory : IMeterFactory
{
    private readonly ConcurrentDictionary<(string Name, string? Version), Meter> _meters = new();
    private int _disposed;

    public Meter Create(MeterOptions options)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // One meter per name, as the framework's factory does: instruments created twice under it are then the same stream.
        return _meters.GetOrAdd((options.Name, options.Version), static (_, state) =>
            new Meter(new MeterOptions(state.Options.Name)
            {
                Version = state.Options.Version,
                Tags = state.Options.Tags,
                Scope = state.Factory,
            }), (Options: options, Factory: this));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var meter in _meters.Values)
        {
            meter.Dispose();
        }

        _meters.Clear();
    }
}
