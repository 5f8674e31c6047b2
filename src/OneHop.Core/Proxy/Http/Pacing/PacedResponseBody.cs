using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http.Pacing;

/// <summary>
/// The response body of a route with a <see cref="RouteResponseRate"/>: whatever a forwarder (or the coder over it)
/// writes leaves in slices as <see cref="ResponsePace"/> allows, each flushed, so a paced answer holds its pod back
/// through the forwarder's flushes as a slow client would. Kept per connection with its <see cref="ProxyRequest"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the wrapper owns nothing: the server disposes the body it wraps")]
internal sealed class PacedResponseBody : IHttpResponseBodyFeature
{
    private static readonly FlushResult Gone = new(isCanceled: false, isCompleted: true);

    private readonly ResponsePace _pace = new();
    private readonly PacedPipeWriter _writer;
    private readonly PacedStream _stream;
    private IHttpResponseBodyFeature _inner = null!;
    private TimeProvider _time = null!;
    private CancellationToken _aborted;
    private bool _gone;

    public PacedResponseBody() => (_writer, _stream) = (new(this), new(this));

    public Stream Stream => _stream;

    public PipeWriter Writer => _writer;

    /// <summary>Stands in for <paramref name="inner"/> for one answer, paced from now.</summary>
    public PacedResponseBody Over(IHttpResponseBodyFeature inner, RouteResponseRate rate, TimeProvider time, CancellationToken aborted)
    {
        (_inner, _time, _aborted, _gone) = (inner, time, aborted, false);
        _pace.Start(rate, time);
        return this;
    }

    /// <summary>
    /// Sends what the writer still holds (a forwarder that wrote without flushing last); the request's end calls it.
    /// Nothing held, nothing flushed: after an upgrade (101) the response's writer throws on any flush.
    /// </summary>
    public ValueTask<FlushResult> DrainAsync() => _writer.UnflushedBytes == 0 ? default : _writer.FlushAsync(_aborted);

    /// <summary>The answer is over: the writer's buffer goes back to the pool.</summary>
    public void Release() => _writer.Release();

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    /// <summary>Through the paced stream, as ASP.NET Core's own fallback for bodies that cannot send files themselves.</summary>
    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(_stream, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        await DrainAsync();
        await _inner.CompleteAsync();
    }

    /// <summary>The response's own writer, for what cannot wait (a synchronous write, a completion).</summary>
    internal PipeWriter Inner => _inner.Writer;

    /// <summary>
    /// Sends <paramref name="data"/> as the pace allows: what may go now at once, the rest in slices, waiting between.
    /// Once a flush finds the client gone, nothing more is sent and the result says so (as Kestrel's own flush does).
    /// </summary>
    internal async ValueTask<FlushResult> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var result = default(FlushResult);
        while (!data.IsEmpty)
        {
            if (_gone)
            {
                return Gone;
            }

            var allowance = _pace.Allowance();
            if (allowance == 0)
            {
                await WaitAsync(_pace.WaitFor(Math.Min(data.Length, _pace.Slice)), cancellationToken);
                continue;
            }

            var take = (int)Math.Min(data.Length, allowance);
            _inner.Writer.Write(data.Span[..take]);
            _pace.Sent(take);
            data = data[take..];
            result = await _inner.Writer.FlushAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                _gone = true;
                return result;
            }
        }

        return result;
    }

    /// <summary>A flush with nothing to pace (the answer's head): the response's own.</summary>
    internal ValueTask<FlushResult> FlushInnerAsync(CancellationToken cancellationToken) =>
        _gone ? ValueTask.FromResult(Gone) : _inner.Writer.FlushAsync(cancellationToken);

    /// <summary>Waits on the caller's token and the request's: a forwarder passes its pod connection's, which the client's leaving may not reach.</summary>
    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == _aborted)
        {
            await Task.Delay(wait, _time, _aborted);
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _aborted);
        await Task.Delay(wait, _time, either.Token);
    }
}
