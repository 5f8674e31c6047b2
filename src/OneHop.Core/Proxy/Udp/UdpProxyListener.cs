using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using OneHop.Core.Balancing;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;

namespace OneHop.Core.Proxy.Udp;

/// <summary>
/// A udp listener: a session per client address and port (<see cref="UdpSession"/>), created by its first datagram
/// on a pod the backend's picker chooses (Maglev on the client address unless the Service asks otherwise, so every
/// replica sends a client to the same pod), and closed by the sweep after the listener's idle timeout. At the cap
/// (<c>maxConnections</c>: sessions) a new client's datagrams are dropped and counted as <c>limit</c>.
/// </summary>
internal sealed class UdpProxyListener : IL4Listener
{
    private const int MaxDatagram = 65_527;

    private readonly Socket _socket;
    private readonly L4DataPlane _dataPlane;
    private readonly Pickers _pickers;
    private readonly OutlierDetector _outliers;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly ConcurrentDictionary<SocketAddress, UdpSession> _sessions = new();

    /// <summary>Binds and starts receiving; throws <see cref="SocketException"/> when the address is taken.</summary>
    public UdpProxyListener(L4Binding binding, L4DataPlane dataPlane, Pickers pickers, OutlierDetector outliers, TimeProvider time, CancellationToken stopping)
    {
        Binding = binding;
        _dataPlane = dataPlane;
        _pickers = pickers;
        _outliers = outliers;
        _time = time;
        _stopping = stopping;
        _socket = ListenSockets.Bind(binding.Address, SocketType.Dgram, ProtocolType.Udp);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _ = ReceiveAsync();
    }

    public L4Binding Binding { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Stops taking datagrams. The listener's socket is also the one answers leave by, so open sessions end with it
    /// (a UDP "connection" has nothing to drain but answers in flight).
    /// </summary>
    public void Dispose()
    {
        _socket.Dispose();
        foreach (var session in _sessions.Values)
        {
            session.Close(L4CloseReason.Shutdown);
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        while (true)
        {
            int read;
            try
            {
                read = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier answer to a client that went away: nothing to do.
                continue;
            }

            if (!_sessions.TryGetValue(from, out var session) && (session = Open(from)) is null)
            {
                continue;
            }

            if (!session.Send(buffer.AsSpan(0, read)) && session.Refused)
            {
                Refused(session);
            }
        }
    }

    private UdpSession? Open(SocketAddress from)
    {
        var metrics = _dataPlane.Metrics;
        if (Binding.MaxConnections is { } max && _sessions.Count >= max)
        {
            metrics.Refused(Binding.Name, "limit");
            return null;
        }

        var listener = _dataPlane.Routing.Listener(Binding.Slot);
        // A specific bind is the datagram's destination; on a wildcard one it is not read (null).
        var bound = LocalEndPoint.Address;
        if (listener?.Default(bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any) ? null : bound) is not { } matched)
        {
            metrics.Refused(Binding.Name, "no_route");
            return null;
        }

        if (matched.Pick(_pickers.Context.Random) is not { } route)
        {
            metrics.Refused(Binding.Name, "no_endpoints");
            return null;
        }

        var backend = route.Backend;
        var available = backend.Available();
        var client = (IPEndPoint)LocalEndPoint.Create(from);
        if (available.Count == 0 || _pickers.For(backend.Policy.LoadBalancing).Pick(backend, available, new ConnectionRequest(client.Address)) is not { } destination)
        {
            metrics.Refused(Binding.Name, "no_endpoints");
            return null;
        }

        var (pod, target) = Tcp.PodSockets.For(destination.Endpoint, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            pod.Connect(target);
        }
        catch (SocketException)
        {
            pod.Dispose();
            metrics.For(listener.Name, backend.Name, destination.Id, destination.Name).ConnectFailed();
            _outliers.Observe(backend, destination, AttemptOutcome.ConnectRefused);
            metrics.Refused(Binding.Name, "connect_failed");
            return null;
        }

        var key = new SocketAddress(from.Family, from.Size);
        from.Buffer.CopyTo(key.Buffer);
        var endpointMetrics = metrics.For(listener.Name, backend.Name, destination.Id, destination.Name);
        var session = new UdpSession(_socket, key, pod, listener.Name, route, destination, endpointMetrics, listener.Listener.IdleTimeout, listener.Listener.DrainTimeout, _time.GetTimestamp())
        {
            ClientAddress = client.Address.ToString(),
        };
        _sessions[key] = session;
        destination.Runtime.RequestStarted();
        endpointMetrics.Opened();
        _dataPlane.Connections.Add(session);
        _ = RunAsync(session);
        return session;
    }

    private async Task RunAsync(UdpSession session)
    {
        try
        {
            await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _sessions.TryRemove(KeyValuePair.Create(session.Client, session));
            _dataPlane.Connections.Remove(session);
            session.Metrics.Closed();
            session.Destination.Runtime.RequestEnded();
            if (session.Refused)
            {
                Refused(session);
            }
        }
    }

    /// <summary>The pod's port answered unreachable: a connect error against the pod, once per session.</summary>
    private void Refused(UdpSession session)
    {
        if (session.CountRefusal())
        {
            session.Metrics.ConnectFailed();
            _outliers.Observe(session.Route.Backend, session.Destination, AttemptOutcome.ConnectRefused);
        }
    }
}
