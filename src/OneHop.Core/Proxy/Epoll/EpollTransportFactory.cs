using System.Net;
using Microsoft.AspNetCore.Connections;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// Kestrel's transport for IP endpoints when OneHop runs with <c>--transport epoll</c>: listeners on the shared
/// <see cref="EpollEngine"/>. Other endpoints (OneHop's socketless h2c handoff) go to their own transports.
/// </summary>
internal sealed class EpollTransportFactory(EpollEngine engine, IMemoryPoolFactory<byte> pools, bool inline = true) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>Kestrel's socket transport's default backlog.</summary>
    private const int Backlog = 512;

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        try
        {
            return ValueTask.FromResult<IConnectionListener>(EpollListener.Bind((IPEndPoint)endpoint, engine, pools.Create(new MemoryPoolOptions { Owner = "OneHop epoll" }), Backlog, inline));
        }
        catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            // Kestrel reports a taken address by this exception, as its own transport does.
            throw new AddressInUseException(ex.Message, ex);
        }
    }
}
