namespace OneHop.Core.Proxy.Epoll;

/// <summary>What an <see cref="EpollLoop"/> tells about one registered descriptor: the events of each edge.</summary>
internal abstract class EpollTarget
{
    /// <summary>The slot and generation the loop gave this target (set before it can receive an event).</summary>
    internal long Token { get; set; }

    public abstract void OnEvents(uint events);
}
