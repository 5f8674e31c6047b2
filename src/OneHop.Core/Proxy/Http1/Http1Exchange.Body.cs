using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http1;

/// <summary>The request body: streamed from the client to the endpoint as it arrives, beside the response.</summary>
internal sealed partial class Http1Exchange
{
    private static readonly StandardFormat Hex = new('X');

    /// <summary>
    /// Sends the head and the body, as framed by the plan. With <c>Expect: 100-continue</c> the head goes alone and
    /// the body waits for the endpoint's 100 (which, by reading the client's body, makes Kestrel send the client its
    /// own 100) or for <see cref="Http1ForwarderOptions.ExpectContinueTimeout"/>; a final answer instead withholds
    /// it. Never throws: a client-side failure stops the exchange with its outcome, an endpoint-side one is left to
    /// the response reader, which sees the same connection fail or has an answer already.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendBodyAsync()
    {
        var connection = _connection;
        var writer = connection.Writer;
        var body = _context.Request.BodyReader;
        var token = connection.Token;
        var chunked = _plan.Body == Http1RequestBody.Chunked;
        var headSent = false;
        var side = Side.Upstream;
        try
        {
            if (_continue is { } go)
            {
                await writer.FlushAsync(token);
                headSent = true;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                var delay = Task.Delay(_options.ExpectContinueTimeout, _time, wait.Token);
                var first = await Task.WhenAny(go.Task, delay);
                await wait.CancelAsync();
                token.ThrowIfCancellationRequested();
                if (first == go.Task && !go.Task.Result)
                {
                    return;
                }
            }

            while (true)
            {
                side = Side.Client;
                if (!body.TryRead(out var result))
                {
                    // Nothing from the client yet: let the head go ahead of the body.
                    if (!headSent)
                    {
                        side = Side.Upstream;
                        await writer.FlushAsync(token);
                        headSent = true;
                    }

                    side = Side.Client;
                    _awaitingClientBody = true;
                    result = await body.ReadAsync(token);
                    _awaitingClientBody = false;
                }

                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    _bodyConsumed = true;
                    WriteBody(writer, buffer, chunked);
                }

                body.AdvanceTo(buffer.End);
                if (result.IsCompleted && chunked)
                {
                    writer.Write("0\r\n\r\n"u8);
                }

                side = Side.Upstream;
                var flush = await writer.FlushAsync(token);
                headSent = true;
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    _bodyFailure = AttemptOutcome.UpstreamReset;
                    return;
                }

                if (result.IsCompleted)
                {
                    _bodySent = true;
                    return;
                }

                if (!_headReceived)
                {
                    connection.Arm(_options.ResponseHeadersTimeout);
                }
            }
        }
        catch (Exception ex)
        {
            _awaitingClientBody = _awaitingClientBody && side == Side.Client;
            _bodyFailure = Failed(side, ex);
            if (side == Side.Client && !token.IsCancellationRequested)
            {
                // The client's body broke: the endpoint got a cut request, the exchange ends with the client's outcome.
                connection.Cancel(Http1CancelReason.BodyFailed);
            }
        }
    }

    private static void WriteBody(PipeWriter writer, in ReadOnlySequence<byte> buffer, bool chunked)
    {
        if (chunked)
        {
            var line = writer.GetSpan(20);
            Utf8Formatter.TryFormat(buffer.Length, line, out var written, Hex);
            line[written++] = (byte)'\r';
            line[written++] = (byte)'\n';
            writer.Advance(written);
        }

        foreach (var segment in buffer)
        {
            writer.Write(segment.Span);
        }

        if (chunked)
        {
            writer.Write("\r\n"u8);
        }
    }
}
