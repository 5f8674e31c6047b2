namespace OneHop.Core.Proxy.Epoll;

/// <summary>What moves the bytes of the HTTP listeners and of HTTP/1.1 connections to backends (<c>run --transport</c>).</summary>
internal enum TransportKind
{
    /// <summary>.NET's <c>Socket</c> and Kestrel's socket transport.</summary>
    Sockets,

    /// <summary>OneHop's own epoll transport (<see cref="EpollEngine"/>): Linux only.</summary>
    Epoll,
}
