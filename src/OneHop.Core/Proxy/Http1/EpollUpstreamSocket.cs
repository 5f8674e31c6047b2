using OneHop.Core.Proxy.Epoll;

namespace OneHop.Core.Proxy.Http1;

/// <summary>An upstream connection on OneHop's epoll transport (<c>run --transport epoll</c>).</summary>
internal sealed class EpollUpstreamSocket(EpollSocket socket) : IUpstreamSocket
{
    public bool LooksClosed(bool tls)
    {
        try
        {
            return socket.PeerClosed(out var bytesWaiting) || (bytesWaiting && !tls);
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    public void Dispose() => socket.Dispose();
}
