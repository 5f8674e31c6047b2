using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Epoll;
using OneHop.Core.Proxy.Http1;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Carries an attempt to an HTTP/1.1 backend (plain or TLS) over OneHop's own forwarder (<see cref="Http1Forwarder"/>):
/// each destination's connection pool is looked up once and kept on the destination, the request head is shaped by
/// <see cref="ForwardingShape"/>, and a pod's 502/503 is held back when the attempt may be retried. The forwarder
/// follows the config's <c>defaults</c> (connect, request and idle timeouts): a change makes a new one, whose pools
/// start empty, and retires the old one's (a change of defaults rebuilds every backend's state, hence its pools).
/// </summary>
internal sealed class LeanAttemptForwarder(TimeProvider time, ILoggerFactory loggers, EpollEngine? epoll = null, bool inlineIo = true) : IAttemptForwarder, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private ForwardingShape _shape = new(new());
    private volatile CurrentForwarder? _current;
    private long _retained = -1;

    public ValueTask<AttemptOutcome> ForwardAsync(HttpContext context, ForwardAttempt attempt, CancellationToken cancellationToken)
    {
        var shape = _shape;
        if (shape.Forwarded != attempt.Routing.Forwarded)
        {
            shape = new ForwardingShape(attempt.Routing.Forwarded);
            _shape = shape;
        }

        var forwarder = Forwarder(attempt.Routing.Defaults);
        var upstream = attempt.Destination.ForwarderState((forwarder, attempt.Backend.Backend), static (d, state) => state.forwarder.Upstream(KeyOf(d, state.Item2)));

        // Not async: the forwarder's task is the attempt's, with no frame of this method's own per request.
        return forwarder.ForwardAsync(context, upstream, attempt.ReplacesErrors ? shape.WithErrorPages : shape, cancellationToken, attempt.Timeouts);
    }

    /// <summary>Drops the pools of endpoints the routing no longer has (once per routing version; from the heartbeat).</summary>
    public void Retain(HttpRouting routing)
    {
        if (Interlocked.Exchange(ref _retained, routing.Version) == routing.Version || _current is not { } current)
        {
            return;
        }

        current.Forwarder.Retain(routing.Backends.Values.Where(b => Carries(b.Backend)).SelectMany(b => b.Destinations.Select(d => KeyOf(d, b.Backend))).ToHashSet());
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is { } current)
        {
            await current.Forwarder.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Http1Forwarder Forwarder(ProxyDefaults defaults)
    {
        if (_current is { } current && ReferenceEquals(current.Defaults, defaults))
        {
            return current.Forwarder;
        }

        lock (_lock)
        {
            if (_current is { } known && (ReferenceEquals(known.Defaults, defaults) || known.Defaults == defaults))
            {
                _current = new CurrentForwarder(defaults, known.Forwarder);
                return known.Forwarder;
            }

            var options = new Http1ForwarderOptions
            {
                ConnectTimeout = defaults.ConnectTimeout,
                ResponseHeadersTimeout = defaults.RequestTimeout,
                ActivityTimeout = defaults.RequestTimeout,
                IdleTimeout = defaults.UpstreamIdleTimeout,
                Epoll = epoll,
                InlineIo = inlineIo,
            };
            var forwarder = new Http1Forwarder(options, time, loggers);
            var old = _current?.Forwarder;
            _current = new CurrentForwarder(defaults, forwarder);

            // Exchanges under way on the old one finish; its idle connections close now.
            _ = old?.DisposeAsync().AsTask();
            return forwarder;
        }
    }

    /// <summary>The forwarder in use and the defaults it was made for, swapped as one.</summary>
    private sealed record CurrentForwarder(ProxyDefaults Defaults, Http1Forwarder Forwarder);

    /// <summary>Plain and TLS HTTP/1.1 backends; h2, h2c and gRPC go to YARP's forwarder.</summary>
    public static bool Carries(Backend backend) => backend.Protocol is BackendProtocol.Http or BackendProtocol.Https;

    /// <summary>
    /// The pool key of a destination: its address and, for TLS, the backend's policy; a backend without one is not
    /// verified (pods present certificates of their own that no CA vouches for; ingress-nginx does not verify either).
    /// </summary>
    private static Http1UpstreamKey KeyOf(Destination destination, Backend backend) =>
        new(destination.Endpoint.Address, destination.Endpoint.Port, backend.Protocol == BackendProtocol.Https ? backend.Tls ?? BackendTls.Unverified : null);
}
