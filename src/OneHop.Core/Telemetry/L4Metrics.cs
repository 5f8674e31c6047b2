using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OneHop.Core.Telemetry;

/// <summary>
/// TCP connections and UDP sessions per listener, backend and pod: open, total, bytes each way, connect errors; and
/// connections refused before reaching a pod, by reason. Bytes are counted by each connection in plain fields and
/// added here once a second (and when it closes), so carrying bytes costs no metric update per read. Each listener ×
/// pod keeps its labels in one array made once, so an update allocates nothing. The per-pod counters live on a
/// <see cref="PodSeriesMeter{T}"/>, so the series of pods that left are forgotten after its retention.
/// </summary>
internal sealed class L4Metrics : IDisposable
{
    private readonly PodSeriesMeter<PodCounters> _pods;
    private readonly Counter<long> _refused;
    private readonly ConcurrentDictionary<(string Listener, string Endpoint), EndpointMetrics> _cache = new();

    /// <param name="meter">OneHop's meter.</param>
    /// <param name="time">The clock of the per-pod series' retention.</param>
    /// <param name="podSeriesRetention">How long a departed pod's series may stay; ten minutes when null.</param>
    public L4Metrics(Meter meter, TimeProvider? time = null, TimeSpan? podSeriesRetention = null)
    {
        // Read from the connections this class knows at each scrape: a pod no longer routed to with nothing open is not reported.
        meter.CreateObservableUpDownCounter(
            "onehop.l4.connections_open",
            () => _cache.Values.Select(m => new Measurement<int>(m.Open, m.Tags)),
            "{connection}",
            "TCP connections (UDP: sessions) open now, by listener, backend and pod.");
        _pods = new PodSeriesMeter<PodCounters>(meter.Name, meter.Scope, static pods => new PodCounters(pods), time ?? TimeProvider.System, podSeriesRetention);
        _refused = meter.CreateCounter<long>(
            "onehop.l4.refused",
            "{connection}",
            "Client connections closed before reaching a pod, by listener and reason: no_route, no_endpoints, connect_failed, bad_client_hello, tls_handshake, limit, queue_full, queue_timeout, client_gone (hung up while queued), shutdown.");
    }

    /// <summary>A client connection (or datagram) closed without reaching a pod.</summary>
    public void Refused(string listener, string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("listener", listener), new KeyValuePair<string, object?>("reason", reason));

    public EndpointMetrics For(string listener, string backend, string endpoint, string pod) =>
        _cache.GetOrAdd((listener, endpoint), static (key, state) =>
        {
            var (metrics, backend, pod) = state;
            return new EndpointMetrics(metrics, [new("listener", key.Listener), new("backend", backend), new("pod", pod)]);
        }, (this, backend, pod));

    /// <summary>
    /// Before a scrape: the per-pod series of listener × pod pairs that <see cref="Retain"/> forgot (no longer routed,
    /// nothing open) go once their generation is old enough (<see cref="PodSeriesMeter{T}"/>).
    /// </summary>
    public bool PruneDeparted() => _pods.PruneDeparted(_cache.Keys.Select(k => k.Listener + "/" + k.Endpoint));

    public void Dispose() => _pods.Dispose();

    /// <summary>
    /// Forgets the (listener, endpoint) pairs no longer routed and with nothing open: they are no longer reported as
    /// open. Returns whether a pair no longer routed stays because a connection to it is still open (draining): the
    /// caller asks again later, or the pod would stay in the open gauge, and keep its series, until the next snapshot.
    /// </summary>
    public bool Retain(Func<string, string, bool> isLive)
    {
        var draining = false;
        foreach (var (key, metrics) in _cache)
        {
            if (!isLive(key.Listener, key.Endpoint))
            {
                if (metrics.Open <= 0)
                {
                    _cache.TryRemove(key, out _);
                }
                else
                {
                    draining = true;
                }
            }
        }

        return draining;
    }

    /// <summary>The series of one listener × pod.</summary>
    internal sealed class EndpointMetrics(L4Metrics metrics, KeyValuePair<string, object?>[] tags)
    {
        private int _open;

        public int Open => Volatile.Read(ref _open);

        public KeyValuePair<string, object?>[] Tags => tags;

        public void Opened()
        {
            Interlocked.Increment(ref _open);
            metrics._pods.Instruments.Total.Add(1, tags);
        }

        public void Closed() => Interlocked.Decrement(ref _open);

        public void Carried(long fromClient, long fromPod)
        {
            var counters = metrics._pods.Instruments;
            if (fromClient > 0)
            {
                counters.Received.Add(fromClient, tags);
            }

            if (fromPod > 0)
            {
                counters.Sent.Add(fromPod, tags);
            }
        }

        public void ConnectFailed() => metrics._pods.Instruments.ConnectErrors.Add(1, tags);
    }

    /// <summary>One generation of the per-pod counters.</summary>
    private sealed class PodCounters(Meter pods)
    {
        public Counter<long> Total { get; } = pods.CreateCounter<long>("onehop.l4.connections", "{connection}", "TCP connections (UDP: sessions) made to pods, by listener, backend and pod.");

        public Counter<long> Received { get; } = pods.CreateCounter<long>("onehop.l4.received", "By", "Bytes from clients carried to pods, by listener, backend and pod.");

        public Counter<long> Sent { get; } = pods.CreateCounter<long>("onehop.l4.sent", "By", "Bytes from pods carried to clients, by listener, backend and pod.");

        public Counter<long> ConnectErrors { get; } = pods.CreateCounter<long>("onehop.l4.connect_errors", "{connection}", "Connections to a pod that failed (refused, unreachable, timed out; UDP: port unreachable), by listener, backend and pod.");
    }
}
