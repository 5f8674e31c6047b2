using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// A connection <see cref="PriorKnowledgeHandoff"/> passes to a second Kestrel endpoint: the same socket and pipes,
/// with features of its own over the first endpoint's (Kestrel sets its per-connection features on each, and the first
/// endpoint's must stay its own). Disposing it only says the second endpoint is done: the first one still owns the
/// socket and closes it.
/// </summary>
internal sealed class HandedOffConnection(ConnectionContext inner) : ConnectionContext
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Finished => _finished.Task;

    public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }

    public override IFeatureCollection Features { get; } = new FeatureCollection(inner.Features);

    public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }

    public override IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }

    public override CancellationToken ConnectionClosed { get => inner.ConnectionClosed; set => inner.ConnectionClosed = value; }

    public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }

    public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

    public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

    public override ValueTask DisposeAsync()
    {
        _finished.TrySetResult();
        return base.DisposeAsync();
    }
}
