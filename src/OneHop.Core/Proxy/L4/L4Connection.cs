using OneHop.Core.Health;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// An open TCP connection or UDP session to a pod, as the once-a-second sweep sees it: how many bytes moved (each
/// direction counted by the one task that carries it, in a plain field), since when nothing moved (idle), and whether
/// its pod left so that it drains. The bytes reach the metrics from here, so carrying them updates no metric.
/// </summary>
internal abstract class L4Connection(string listener, L4RouteState route, Destination destination, L4Metrics.EndpointMetrics metrics, TimeSpan idleTimeout, TimeSpan drainTimeout, long now)
{
    private long _fromClient;
    private long _fromPod;
    private long _reportedFromClient;
    private long _reportedFromPod;
    private long _seen = -1;

    public string Listener { get; } = listener;

    public L4RouteState Route { get; } = route;

    public Destination Destination { get; } = destination;

    public L4Metrics.EndpointMetrics Metrics { get; } = metrics;

    /// <summary>The listener's idle timeout when the connection opened; the current snapshot's wins while the listener is in it.</summary>
    public TimeSpan IdleTimeout { get; } = idleTimeout;

    public TimeSpan DrainTimeout { get; } = drainTimeout;

    /// <summary>When bytes last moved, as seen by the sweep (a timestamp of the data plane's time).</summary>
    public long LastMoved { get; private set; } = now;

    /// <summary>When a draining connection is closed; 0 while its pod is still ready.</summary>
    public long DrainDeadline { get; set; }

    /// <summary>When it opened (a timestamp of the data plane's time).</summary>
    public long Opened { get; } = now;

    /// <summary>The client's address (after PROXY protocol), for the access log.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The SNI of a passed-through TLS connection.</summary>
    public string? ServerName { get; init; }

    /// <summary>Seconds the connection waited in its capped backend's queue before it reached its pod; 0 when it did not wait.</summary>
    public double QueueTime { get; init; }

    /// <summary><c>tcp</c>, <c>tls-passthrough</c>, <c>tls-terminate</c> or <c>udp</c>: the access log's <c>type</c>.</summary>
    public abstract string Protocol { get; }

    /// <summary>Why OneHop closed it; null when a side closed it (or failed).</summary>
    public L4CloseReason? ClosedBy { get; protected set; }

    public long FromClient => Volatile.Read(ref _fromClient);

    public long FromPod => Volatile.Read(ref _fromPod);

    /// <summary>Closes both sides; the connection's own task then ends and accounts for it.</summary>
    public abstract void Close(L4CloseReason reason);

    /// <summary>Called only by the task carrying client bytes.</summary>
    public void CarriedFromClient(int bytes) => Volatile.Write(ref _fromClient, _fromClient + bytes);

    /// <summary>Called only by the task carrying pod bytes.</summary>
    public void CarriedFromPod(int bytes) => Volatile.Write(ref _fromPod, _fromPod + bytes);

    /// <summary>Adds the bytes moved since the last call to the metrics; notes the time if any moved. One caller at a time.</summary>
    public void Report(long now)
    {
        var fromClient = FromClient;
        var fromPod = FromPod;
        Metrics.Carried(fromClient - _reportedFromClient, fromPod - _reportedFromPod);
        _reportedFromClient = fromClient;
        _reportedFromPod = fromPod;
        if (fromClient + fromPod != _seen)
        {
            _seen = fromClient + fromPod;
            LastMoved = now;
        }
    }
}
