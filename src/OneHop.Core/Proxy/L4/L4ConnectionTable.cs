using System.Collections.Concurrent;
using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// Every open L4 connection, swept once a second from the heartbeat: bytes reported to the metrics, idle ones closed,
/// and drains timed — a connection whose pod is no longer ready in the current snapshot (removed, terminating) keeps
/// going until it ends or its listener's drain timeout runs out; new connections already go elsewhere.
/// </summary>
internal sealed class L4ConnectionTable(TimeProvider time)
{
    private readonly ConcurrentDictionary<L4Connection, byte> _open = new(ReferenceEqualityComparer.Instance);

    public int Count => _open.Count;

    public IEnumerable<L4Connection> Open => _open.Keys;

    /// <summary>Where each connection's line goes when it ends; null when the access log is off.</summary>
    public AccessLogWriter? AccessLog { get; set; }

    /// <summary>Where each connection's span is made when it ends; null when tracing is off.</summary>
    public L4ConnectionSpans? Spans { get; set; }

    public void Add(L4Connection connection) => _open.TryAdd(connection, 0);

    /// <summary>Removes a connection that ended and reports its last bytes.</summary>
    public void Remove(L4Connection connection)
    {
        if (_open.TryRemove(connection, out _))
        {
            var now = time.GetTimestamp();
            connection.Report(now);
            if (AccessLog is { } log)
            {
                log.Enqueue(Describe(connection, time.GetElapsedTime(connection.Opened, now)));
            }

            if (Spans is { } spans)
            {
                var closed = time.GetUtcNow();
                spans.Closed(connection, closed - time.GetElapsedTime(connection.Opened, now), closed);
            }
        }
    }

    private ConnectionAccessRecord Describe(L4Connection connection, TimeSpan duration)
    {
        var endpoint = connection.Destination.Endpoint;
        return new ConnectionAccessRecord
        {
            Time = time.GetUtcNow() - duration,
            Protocol = connection.Protocol,
            Client = connection.ClientAddress,
            Listener = connection.Listener,
            Route = connection.Route.Route.Source,
            Backend = connection.Route.Backend.Name,
            Upstream = connection.Destination.Id,
            Pod = endpoint.Pod,
            Node = endpoint.Node,
            Zone = endpoint.Zone,
            Sni = connection.ServerName,
            BytesIn = connection.FromClient,
            BytesOut = connection.FromPod,
            Duration = duration.TotalSeconds,
            Close = connection.ClosedBy is { } reason ? reason.ToString().ToLowerInvariant() : "closed",
            QueueTime = connection.QueueTime,
        };
    }

    public void Sweep(long now, L4Routing routing)
    {
        foreach (var connection in _open.Keys)
        {
            connection.Report(now);
            var listener = routing.Listeners.GetValueOrDefault(connection.Listener);
            var idle = listener?.Listener.IdleTimeout ?? connection.IdleTimeout;
            if (time.GetElapsedTime(connection.LastMoved, now) >= idle)
            {
                connection.Close(L4CloseReason.Idle);
                continue;
            }

            var stays = routing.Routes.TryGetValue(connection.Route.Id, out var current) && current.Ready.Contains(connection.Destination.Id);
            if (stays)
            {
                connection.DrainDeadline = 0;
            }
            else if (connection.DrainDeadline == 0)
            {
                var drain = listener?.Listener.DrainTimeout ?? connection.DrainTimeout;
                connection.DrainDeadline = now + (long)(drain.TotalSeconds * time.TimestampFrequency);
            }
            else if (now >= connection.DrainDeadline)
            {
                connection.Close(L4CloseReason.Drained);
            }
        }
    }
}
