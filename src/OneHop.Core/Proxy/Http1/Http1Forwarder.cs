using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// OneHop's own HTTP/1.1 client for forwarding to pods and HTTP/1.1 upstreams (plain and TLS), in place of YARP's
/// forwarder and SocketsHttpHandler on the hot path. bench/PROFILE.md found those two general-purpose HTTP stacks
/// (a request message, header collections and async state machines per request, a second header model) to be where
/// OneHop spends 2.2–2.9× nginx's CPU per request; this one writes the request head from Kestrel's request into the
/// connection's buffer, parses the response strictly from the connection's pipe and copies it to Kestrel's
/// response, over pooled keep-alive connections, allocating almost nothing per request in steady state.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Upstream"/> is meant to be called when a snapshot is built, not per request (it hashes
/// the key); <see cref="ForwardAsync"/> is the per-request call. The caller owns balancing, retries and metrics.
/// </remarks>
internal sealed class Http1Forwarder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Http1UpstreamKey, Http1Upstream> _upstreams = new();
    private readonly Http1ForwarderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _heartbeat;

    public Http1Forwarder(Http1ForwarderOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger<Http1Forwarder>();

        // One heartbeat closes every pool's expired idle connections (a pool no request reaches anymore included).
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, options.IdleTimeout.Ticks / 4));
        _heartbeat = time.CreateTimer(static s => ((Http1Forwarder)s!).CloseExpired(), this, period, period);
    }

    /// <summary>The pool of one endpoint; the same key gives the same pool until <see cref="Retain"/> drops it.</summary>
    public Http1Upstream Upstream(Http1UpstreamKey key) =>
        _upstreams.GetOrAdd(key, static (k, f) => new Http1Upstream(k, new Http1Connector(k, f._options, f._time, f._logger), f._options, f._time, f._logger), this);

    /// <summary>
    /// Keeps the pools of <paramref name="live"/> and drops the others (endpoints gone from the snapshot): their idle
    /// connections close now, busy ones when their exchange ends. A dropped pool handed to <see cref="ForwardAsync"/>
    /// afterwards still works, without pooling.
    /// </summary>
    public void Retain(IReadOnlySet<Http1UpstreamKey> live)
    {
        foreach (var (key, upstream) in _upstreams)
        {
            if (!live.Contains(key) && _upstreams.TryRemove(new KeyValuePair<Http1UpstreamKey, Http1Upstream>(key, upstream)))
            {
                upstream.Retire();
            }
        }
    }

    /// <summary>
    /// One attempt: forwards the request of <paramref name="context"/> to <paramref name="upstream"/> and relays the
    /// answer. Never throws on network or protocol trouble. A failure before any byte of the answer went to the
    /// client leaves <c>context.Response</c> unstarted and as it was (the caller may retry elsewhere or answer
    /// itself); a failure after that aborts the client's connection, so a cut answer is never taken for whole. A
    /// reused connection that turns out closed by the server is replaced once, transparently, when the request can
    /// be sent again. <paramref name="cancellationToken"/> is the caller's deadline (its cancellation is
    /// <c>Timeout</c>); the client going away is seen through <c>RequestAborted</c> (<c>ClientAbort</c>).
    /// </summary>
    [SuppressMessage("Performance", "CA1822", Justification = "The forwarder's per-request entry point; the pools it uses are the instance's.")]
    public ValueTask<AttemptOutcome> ForwardAsync(HttpContext context, Http1Upstream upstream, Http1RequestShape shape, CancellationToken cancellationToken, UpstreamTimeouts? timeouts = null)
    {
        if (!Http1RequestPlan.TryCreate(context, out var plan))
        {
            return new ValueTask<AttemptOutcome>(AttemptOutcome.Unforwardable);
        }

        // The usual case, a pooled connection, adds no async frame of its own: the exchange ends the connection's turn.
        return upstream.TryRent() is { } connection
            ? connection.Exchange.RunAsync(context, plan, shape, cancellationToken, timeouts: timeouts)
            : ConnectAndRunAsync(context, upstream, plan, shape, timeouts, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<AttemptOutcome> ConnectAndRunAsync(HttpContext context, Http1Upstream upstream, Http1RequestPlan plan, Http1RequestShape shape, UpstreamTimeouts? timeouts, CancellationToken cancellationToken)
    {
        var (connection, failure) = await upstream.ConnectAsync(context.RequestAborted, cancellationToken, timeouts?.Connect);
        return connection is null ? failure : await connection.Exchange.RunAsync(context, plan, shape, cancellationToken, fresh: true, timeouts);
    }

    /// <summary>Closes every idle connection; exchanges under way finish and close theirs.</summary>
    public async ValueTask DisposeAsync()
    {
        await _heartbeat.DisposeAsync();
        foreach (var (_, upstream) in _upstreams)
        {
            upstream.Retire();
        }

        _upstreams.Clear();
    }

    private void CloseExpired()
    {
        foreach (var (_, upstream) in _upstreams)
        {
            upstream.CloseExpired();
        }
    }
}
