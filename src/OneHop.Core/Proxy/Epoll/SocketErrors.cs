using System.Net.Sockets;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>Linux errno values as .NET's <see cref="SocketError"/>, so callers handle the epoll transport's failures as <c>Socket</c>'s.</summary>
internal static class SocketErrors
{
    public static int FromErrno(int errno) => (int)(errno switch
    {
        32 => SocketError.Shutdown, // EPIPE
        99 => SocketError.AddressNotAvailable,
        101 => SocketError.NetworkUnreachable,
        103 => SocketError.ConnectionAborted,
        104 => SocketError.ConnectionReset,
        107 => SocketError.NotConnected,
        110 => SocketError.TimedOut,
        111 => SocketError.ConnectionRefused,
        113 => SocketError.HostUnreachable,
        112 => SocketError.HostDown,
        100 => SocketError.NetworkDown,
        98 => SocketError.AddressAlreadyInUse,
        106 => SocketError.IsConnected,
        114 => SocketError.AlreadyInProgress,
        13 or 1 => SocketError.AccessDenied, // EACCES, EPERM
        22 => SocketError.InvalidArgument,
        24 or 23 => SocketError.TooManyOpenSockets, // EMFILE, ENFILE
        105 or 12 => SocketError.NoBufferSpaceAvailable, // ENOBUFS, ENOMEM
        9 => SocketError.OperationAborted, // EBADF: closed under the call
        _ => SocketError.SocketError,
    });

    public static SocketException Exception(int errno) => new(FromErrno(errno));

}
