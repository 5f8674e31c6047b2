using System.Net;
using System.Net.Sockets;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// A tcp or tls-passthrough listener: accepts on its own socket and hands each connection to the
/// <see cref="TcpConnectionHandler"/>. At the connection cap one more is closed at once (counted as <c>limit</c>)
/// rather than queued, as the HTTP listeners do.
/// </summary>
internal sealed class TcpProxyListener : IL4Listener
{
    private readonly Socket _socket;
    private readonly TcpConnectionHandler _handler;
    private readonly L4Metrics _metrics;
    private readonly CancellationToken _stopping;
    private int _open;

    /// <summary>Binds and starts accepting; throws <see cref="SocketException"/> when the address is taken.</summary>
    public TcpProxyListener(L4Binding binding, TcpConnectionHandler handler, L4Metrics metrics, CancellationToken stopping)
    {
        Binding = binding;
        _handler = handler;
        _metrics = metrics;
        _stopping = stopping;
        _socket = ListenSockets.Bind(binding.Address, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.Listen(1024);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _ = AcceptAsync();
    }

    public L4Binding Binding { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Stops accepting; connections already accepted go on.</summary>
    public void Dispose() => _socket.Dispose();

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping).ConfigureAwait(false);
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
                // A connection reset before it was accepted, or out of descriptors: keep accepting.
                continue;
            }

            if (Binding.MaxConnections is { } max && Interlocked.Increment(ref _open) > max)
            {
                Interlocked.Decrement(ref _open);
                _metrics.Refused(Binding.Name, "limit");
                client.Dispose();
                continue;
            }

            // Without a cap nothing is counted: the handler's own task, no wrapper per connection.
            _ = Binding.MaxConnections is null ? _handler.HandleAsync(client, Binding, _stopping) : HandleCountedAsync(client);
        }
    }

    private async Task HandleCountedAsync(Socket client)
    {
        try
        {
            await _handler.HandleAsync(client, Binding, _stopping).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
