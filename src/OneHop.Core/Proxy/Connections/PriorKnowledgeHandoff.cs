using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// Kestrel's transport for <see cref="PriorKnowledgeEndPoint"/>: the connections handed to it are accepted by an
/// HTTP/2-only Kestrel endpoint, so a cleartext port can serve HTTP/1.1 and h2c with prior knowledge. Kestrel
/// (through .NET 10) answers the HTTP/2 preface on an endpoint that allows HTTP/1.1 and HTTP/2 without TLS with
/// <c>HTTP_1_1_REQUIRED</c> (it picks the protocol by ALPN only: dotnet/aspnetcore#56984), so the choice is made by
/// <see cref="PriorKnowledgeMiddleware"/> and the connection goes on through Kestrel's own HTTP/2 server from here:
/// same limits, same application, its local and remote addresses those of the real socket.
/// </summary>
internal sealed class PriorKnowledgeHandoff : IConnectionListenerFactory, IConnectionListenerFactorySelector, IConnectionListener
{
    private readonly Channel<ConnectionContext> _handed = Channel.CreateUnbounded<ConnectionContext>(new UnboundedChannelOptions { SingleReader = true });

    public EndPoint EndPoint => PriorKnowledgeEndPoint.Instance;

    public bool CanBind(EndPoint endpoint) => endpoint is PriorKnowledgeEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IConnectionListener>(this);

    /// <summary>Serves <paramref name="connection"/> as HTTP/2 and completes when Kestrel is done with it.</summary>
    public async Task ServeAsync(ConnectionContext connection)
    {
        var handed = new HandedOffConnection(connection);
        if (!_handed.Writer.TryWrite(handed))
        {
            // Unbound: the server is stopping, and the connection closes as its other connections do.
            return;
        }

        await handed.Finished;
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _handed.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _handed.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => UnbindAsync();
}
