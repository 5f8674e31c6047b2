namespace OneHop.Core.Proxy.Epoll;

/// <summary>What a listener does after <c>accept4</c> failed with a given errno (<see cref="AcceptSteps.StepAfter"/>).</summary>
internal enum AcceptStep
{
    /// <summary>EAGAIN: the queue is empty; wait for the next edge.</summary>
    WaitForEdge,

    /// <summary>EINTR, ECONNABORTED (the client left the queue): try again at once.</summary>
    Retry,

    /// <summary>EBADF, EINVAL, ENOTSOCK: the socket is closed (unbound); the listener ends.</summary>
    Stop,

    /// <summary>
    /// Anything else: out of descriptors or memory (the queue stays), or a network error accept(2) says to retry
    /// (EPROTO, EPERM from a firewall rule, ENETDOWN, ...): try again after a pause, never stop listening.
    /// </summary>
    Pause,
}
