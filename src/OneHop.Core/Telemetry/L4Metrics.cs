using System.Collections.Concurrent;
using Prometheus;

namespace OneHop.Core.Telemetry;

/// <summary>
/// TCP connections and UDP sessions per listener, backend and pod: open, total, bytes each way, connect errors; and
/// connections refused before reaching a pod, by reason. Bytes are counted by each connection in plain fields and
/// added here once a second (and when it closes), so carrying bytes costs no metric update per read.
/// </summary>
internal sealed class L4Metrics
{
    private readonly Gauge _open;
    private readonly Counter _total;
    private readonly Counter _received;
    private readonly Counter _sent;
    private readonly Counter _connectErrors;
    private readonly Counter _refused;
    private readonly ConcurrentDictionary<(string Listener, string Endpoint), EndpointMetrics> _cache = new();

    public L4Metrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        string[] labels = ["listener", "backend", "pod"];
        _open = factory.CreateGauge("onehop_l4_connections_open", "TCP connections (UDP: sessions) open now, by listener, backend and pod.", labels);
        _total = factory.CreateCounter("onehop_l4_connections_total", "TCP connections (UDP: sessions) made to pods, by listener, backend and pod.", labels);
        _received = factory.CreateCounter("onehop_l4_received_bytes_total", "Bytes from clients carried to pods, by listener, backend and pod.", labels);
        _sent = factory.CreateCounter("onehop_l4_sent_bytes_total", "Bytes from pods carried to clients, by listener, backend and pod.", labels);
        _connectErrors = factory.CreateCounter("onehop_l4_connect_errors_total", "Connections to a pod that failed (refused, unreachable, timed out; UDP: port unreachable), by listener, backend and pod.", labels);
        _refused = factory.CreateCounter(
            "onehop_l4_refused_total",
            "Client connections closed before reaching a pod, by listener and reason: no_route, no_endpoints, connect_failed, bad_client_hello, limit.",
            "listener",
            "reason");
    }

    /// <summary>A client connection (or datagram) closed without reaching a pod.</summary>
    public void Refused(string listener, string reason) => _refused.WithLabels(listener, reason).Inc();

    public EndpointMetrics For(string listener, string backend, string endpoint, string pod) =>
        _cache.GetOrAdd((listener, endpoint), static (key, state) =>
        {
            var (metrics, backend, pod) = state;
            string[] labels = [key.Listener, backend, pod];
            return new EndpointMetrics(
                metrics._open.WithLabels(labels),
                metrics._total.WithLabels(labels),
                metrics._received.WithLabels(labels),
                metrics._sent.WithLabels(labels),
                metrics._connectErrors.WithLabels(labels),
                labels);
        }, (this, backend, pod));

    /// <summary>Drops the series of (listener, endpoint) pairs no longer routed and with nothing open.</summary>
    public void Retain(Func<string, string, bool> isLive)
    {
        foreach (var (key, metrics) in _cache)
        {
            if (isLive(key.Listener, key.Endpoint) || metrics.Open.Value > 0)
            {
                continue;
            }

            _cache.TryRemove(key, out _);
            _open.RemoveLabelled(metrics.Labels);
            _total.RemoveLabelled(metrics.Labels);
            _received.RemoveLabelled(metrics.Labels);
            _sent.RemoveLabelled(metrics.Labels);
            _connectErrors.RemoveLabelled(metrics.Labels);
        }
    }

    /// <summary>The series of one listener × pod.</summary>
    internal sealed class EndpointMetrics(Gauge.Child open, Counter.Child total, Counter.Child received, Counter.Child sent, Counter.Child connectErrors, string[] labels)
    {
        public Gauge.Child Open => open;

        public string[] Labels => labels;

        public void Opened()
        {
            open.Inc();
            total.Inc();
        }

        public void Closed() => open.Dec();

        public void Carried(long fromClient, long fromPod)
        {
            if (fromClient > 0)
            {
                received.Inc(fromClient);
            }

            if (fromPod > 0)
            {
                sent.Inc(fromPod);
            }
        }

        public void ConnectFailed() => connectErrors.Inc();
    }
}
