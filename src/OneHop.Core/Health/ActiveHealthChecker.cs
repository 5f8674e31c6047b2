using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Health;

/// <summary>
/// Active health (the health-flag layer): probes every endpoint of every backend that has a probe, each on its own
/// interval, from the shared <see cref="Heartbeat"/>; at most one probe per endpoint and backend is in flight. The
/// verdict (<see cref="ProbeStreak"/>) is the endpoint's <see cref="EndpointRuntime.ProbeHealth"/>, which the
/// availability layer reads. Endpoints that leave are forgotten.
/// </summary>
internal sealed partial class ActiveHealthChecker(Func<IReadOnlyCollection<BackendState>> backends, IProbeSender sender, TimeProvider time, ILogger<ActiveHealthChecker> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(string Backend, string Endpoint), Slot> _slots = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Starts the probes that are due at <paramref name="now"/> (a heartbeat tick).</summary>
    public void Tick(long now)
    {
        var live = new HashSet<(string, string)>();
        foreach (var backend in backends())
        {
            if (backend.Policy.Probe is not { } probe)
            {
                continue;
            }

            foreach (var destination in backend.Destinations)
            {
                var key = (backend.Backend.Id, destination.Id);
                live.Add(key);
                var slot = _slots.GetOrAdd(key, static _ => new Slot());
                if (now >= slot.Due && slot.TryStart())
                {
                    slot.Due = now + (long)(probe.Interval.TotalSeconds * time.TimestampFrequency);
                    _ = ProbeAsync(backend, destination, probe, slot);
                }
            }
        }

        foreach (var key in _slots.Keys)
        {
            if (!live.Contains(key))
            {
                _slots.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Cancels the probes in flight; their verdicts are dropped.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task ProbeAsync(BackendState backend, Destination destination, HealthProbe probe, Slot slot)
    {
        try
        {
            ProbeResult result;
            try
            {
                result = await sender.ProbeAsync(backend, destination, probe, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                result = new ProbeResult(false, ex.Message);
            }

            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var runtime = destination.Runtime;
            var health = slot.Streak.Record(result.Passed, probe.HealthyThreshold, probe.UnhealthyThreshold, runtime.ProbeHealth);
            if (runtime.SetProbeHealth(health))
            {
                Log.HealthChanged(logger, destination.Name, backend.Name, health, result.Detail);
            }
        }
        finally
        {
            slot.Finish();
        }
    }

    /// <summary>One endpoint of one backend: when its next probe is due, its streak, whether a probe is in flight.</summary>
    private sealed class Slot
    {
        private int _running;

        public long Due { get; set; }

        public ProbeStreak Streak { get; } = new();

        public bool TryStart() => Interlocked.Exchange(ref _running, 1) == 0;

        public void Finish() => Volatile.Write(ref _running, 0);
    }

    private static partial class Log
    {
        [LoggerMessage(651, LogLevel.Warning, "Probe: endpoint {Endpoint} of {Backend} is now {Health} ({Detail})")]
        public static partial void HealthChanged(ILogger logger, string endpoint, string backend, ProbeHealth health, string detail);
    }
}
