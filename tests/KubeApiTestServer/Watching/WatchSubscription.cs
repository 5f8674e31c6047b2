using System.Threading.Channels;
using KubeApiTestServer.Resources;

namespace KubeApiTestServer.Watching;

/// <summary>A registered watch: the store pushes matching changes into it, in commit order, while holding its lock.</summary>
internal sealed class WatchSubscription(ResourceKind kind, string? ns, Action<WatchSubscription> unsubscribe) : IDisposable
{
    private readonly Channel<WatchItem> _channel =
        Channel.CreateUnbounded<WatchItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public ResourceKind Kind { get; } = kind;

    /// <summary>The namespace watched, or null for all namespaces (and for cluster-scoped kinds).</summary>
    public string? Namespace { get; } = ns;

    public ChannelReader<WatchItem> Reader => _channel.Reader;

    /// <summary>Set once the stream has sent its starting events and armed its timers; guarded by the store lock.</summary>
    public bool IsReady { get; set; }

    public bool Accepts(ResourceKind kind, string ns) => ReferenceEquals(kind, Kind) && (Namespace is null || Namespace == ns);

    public void Deliver(WatchItem item) => _channel.Writer.TryWrite(item);

    /// <summary>Ends the stream cleanly once what was delivered is written (the kind went away).</summary>
    public void End() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
