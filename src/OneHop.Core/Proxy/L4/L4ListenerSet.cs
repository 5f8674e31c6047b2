using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// The L4 data plane's sockets. Config listeners are bound at start-up (a taken port stops the start, as for HTTP);
/// ConfigMap entries and Gateway listeners come and go with the snapshot, like ingress-nginx's, so this consumer binds and closes those
/// after <see cref="L4DataPlane"/> has applied it. Closing a listener stops new connections only: open ones drain.
/// Stopping closes every listener and lets open connections finish within the grace period, then closes them.
/// </summary>
internal sealed partial class L4ListenerSet(L4DataPlane dataPlane, Func<L4Binding, CancellationToken, IL4Listener> bind, ILogger<L4ListenerSet> logger) : ISnapshotConsumer, IDisposable
{
    private readonly Dictionary<string, IL4Listener> _bound = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, string> _failed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _live = new(StringComparer.Ordinal);

    /// <summary>Each bound listener's address by name (tests and <c>/api/routes</c> read the ports chosen for :0).</summary>
    public ImmutableDictionary<string, IPEndPoint> EndPoints
    {
        get
        {
            lock (_lock)
            {
                return _bound.ToImmutableDictionary(b => b.Key, b => b.Value.LocalEndPoint, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Binds the config file's tcp, udp and tls-passthrough listeners; throws when an address is taken.</summary>
    public void BindConfigured(IEnumerable<ListenerConfig> listeners)
    {
        foreach (var listener in listeners.Where(l => l.Protocol.IsL4()))
        {
            var binding = new L4Binding(listener.Name, listener.Protocol, listener.Address, dataPlane.Slot(listener.Name), listener.MaxConnections, listener.ProxyProtocol);
            try
            {
                Add(binding);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new InvalidOperationException($"{(listener.Protocol.IsUdp() ? "UDP" : "TCP")} address {listener.Address} of listener '{listener.Name}' is already in use (see who holds it with: ss -{(listener.Protocol.IsUdp() ? "u" : "t")}lnp 'sport = :{listener.Address.Port}')", ex);
            }
        }
    }

    public void Apply(PublishedSnapshot published)
    {
        var wanted = (published.Snapshot.L4?.Listeners ?? []).Where(l => l.Live).ToDictionary(l => l.Name, StringComparer.Ordinal);
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            foreach (var (name, listener) in _bound.Where(b => _live.Contains(b.Key) && !wanted.ContainsKey(b.Key)).ToList())
            {
                listener.Dispose();
                _bound.Remove(name);
                _live.Remove(name);
                Log.Closed(logger, name, listener.LocalEndPoint.ToString());
            }

            foreach (var listener in wanted.Values.Where(l => !_bound.ContainsKey(l.Name)))
            {
                var binding = new L4Binding(listener.Name, listener.Protocol, listener.Address, dataPlane.Slot(listener.Name), null, null);
                try
                {
                    Add(binding);
                    _live.Add(listener.Name);
                    _failed.Remove(listener.Name);
                    Log.Opened(logger, listener.Name, _bound[listener.Name].LocalEndPoint.ToString());
                }
                catch (SocketException ex)
                {
                    if (_failed.GetValueOrDefault(listener.Name) != ex.Message)
                    {
                        // Once per listener and error, not on every snapshot; a later snapshot tries again.
                        _failed[listener.Name] = ex.Message;
                        Log.BindFailed(logger, listener.Name, listener.Address.ToString(), ex.Message);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Closes every listener, then waits for open connections to end for up to <paramref name="grace"/> (each
    /// connection's drain timeout is the longest it may be given), then closes what is left.
    /// </summary>
    public async Task StopAsync(TimeSpan grace, TimeProvider time)
    {
        lock (_lock)
        {
            foreach (var listener in _bound.Values)
            {
                listener.Dispose();
            }

            _bound.Clear();
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        var started = time.GetTimestamp();
        var connections = dataPlane.Connections;
        while (connections.Count > 0 && time.GetElapsedTime(started) < grace
            && connections.Open.Any(c => time.GetElapsedTime(started) < c.DrainTimeout))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time).ConfigureAwait(false);
        }

        foreach (var connection in connections.Open)
        {
            connection.Close(L4CloseReason.Shutdown);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private void Add(L4Binding binding)
    {
        lock (_lock)
        {
            _bound[binding.Name] = bind(binding, _stopping.Token);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(921, LogLevel.Information, "L4 listener {Listener} opened on {Address}")]
        public static partial void Opened(ILogger logger, string listener, string address);

        [LoggerMessage(922, LogLevel.Information, "L4 listener {Listener} on {Address} closed: its ConfigMap entry or Gateway listener is gone (open connections go on)")]
        public static partial void Closed(ILogger logger, string listener, string address);

        [LoggerMessage(923, LogLevel.Error, "L4 listener {Listener} could not bind {Address}: {Error}")]
        public static partial void BindFailed(ILogger logger, string listener, string address, string error);
    }
}
