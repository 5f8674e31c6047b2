using Microsoft.Extensions.Logging;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// The connection pool of one endpoint: idle keep-alive connections reused last-in first-out (the warmest one, and
/// the others age out when load drops), at most <see cref="Http1ForwarderOptions.MaxIdleConnectionsPerEndpoint"/>
/// of them, none older than <see cref="Http1ForwarderOptions.IdleTimeout"/>. Thread-safe; one short lock per rent and
/// return. Once retired (the endpoint left the snapshot) it pools nothing: idle connections are closed at once and
/// busy ones when they come back.
/// </summary>
internal sealed class Http1Upstream
{
    private readonly Lock _lock = new();
    private readonly int _cap;
    private Http1Connection[] _idle = new Http1Connection[4];
    private readonly Http1Connector _connector;
    private readonly Http1ForwarderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _count;
    private bool _retired;

    internal Http1Upstream(Http1UpstreamKey key, Http1Connector connector, Http1ForwarderOptions options, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        Key = key;
        _connector = connector;
        _options = options;
        _time = time;
        _cap = Math.Max(0, options.MaxIdleConnectionsPerEndpoint);
    }

    public Http1UpstreamKey Key { get; }

    /// <summary>Idle connections in the pool now.</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>True once the endpoint left the set passed to <see cref="Http1Forwarder.Retain"/>.</summary>
    public bool IsRetired => Volatile.Read(ref _retired);

    /// <summary>
    /// The most recently used idle connection that is still good, or null. Expired ones are closed on the way; one
    /// idle longer than <see cref="Http1ForwarderOptions.StaleCheckAfter"/> is polled for a close first.
    /// </summary>
    public Http1Connection? TryRent()
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            Http1Connection? connection;
            lock (_lock)
            {
                if (_count == 0)
                {
                    return null;
                }

                connection = _idle[--_count];
                _idle[_count] = null!;
            }

            var idle = _time.GetElapsedTime(connection.IdleSince, now);
            if (idle < _options.IdleTimeout && !connection.Token.IsCancellationRequested && (idle < _options.StaleCheckAfter || !connection.LooksClosed()))
            {
                return connection;
            }

            connection.Dispose();
        }
    }

    /// <summary>Opens a new connection (see <see cref="Http1Connector.ConnectAsync"/>).</summary>
    public async ValueTask<(Http1Connection? Connection, AttemptOutcome Outcome)> ConnectAsync(CancellationToken requestAborted, CancellationToken deadline, TimeSpan? connectTimeout = null)
    {
        var (socket, stream, outcome) = await _connector.ConnectAsync(requestAborted, deadline, connectTimeout);
        return socket is null || stream is null ? (null, outcome) : (new Http1Connection(this, socket, stream, _options, _time, _logger), outcome);
    }

    /// <summary>Takes back a connection whose exchange ended cleanly; closes it when the pool is full or retired.</summary>
    public void Return(Http1Connection connection)
    {
        if (!connection.TryReset())
        {
            connection.Dispose();
            return;
        }

        connection.IsReused = true;
        connection.IdleSince = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_retired && _count < _cap)
            {
                if (_count == _idle.Length)
                {
                    // Grown as connections come back, not sized for the cap: most of 10,000 endpoints keep a few.
                    Array.Resize(ref _idle, Math.Min(_cap, _idle.Length * 2));
                }

                _idle[_count++] = connection;
                return;
            }
        }

        connection.Dispose();
    }

    /// <summary>Closes idle connections past the idle timeout (the forwarder's heartbeat calls this).</summary>
    internal void CloseExpired()
    {
        var now = _time.GetTimestamp();
        Http1Connection[] expired;
        lock (_lock)
        {
            // The bottom of the stack is the oldest; the first one young enough ends the expired run. They are taken
            // out with one shift, not one per connection: a pool of a thousand may expire at once.
            var n = 0;
            while (n < _count && _time.GetElapsedTime(_idle[n].IdleSince, now) >= _options.IdleTimeout)
            {
                n++;
            }

            if (n == 0)
            {
                return;
            }

            expired = _idle[..n];
            Array.Copy(_idle, n, _idle, 0, _count - n);
            Array.Clear(_idle, _count - n, n);
            _count -= n;
        }

        foreach (var connection in expired)
        {
            connection.Dispose();
        }
    }

    /// <summary>Stops pooling: idle connections are closed now, busy ones when returned.</summary>
    internal void Retire()
    {
        Http1Connection[] idle;
        lock (_lock)
        {
            _retired = true;
            idle = _idle[.._count];
            Array.Clear(_idle, 0, _count);
            _count = 0;
        }

        foreach (var connection in idle)
        {
            connection.Dispose();
        }
    }
}
