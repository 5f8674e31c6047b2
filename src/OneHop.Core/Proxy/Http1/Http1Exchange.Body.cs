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

    /// <summary>Reads of the client's body up to this size are copied behind the head into one write; larger ones are not copied.</summary>
    private const int DirectWriteBytes = 16 * 1024;

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
                _sentBodyBytes += buffer.Length;
                if (buffer.Length > DirectWriteBytes)
                {
                    // A large read goes from Kestrel's buffers straight to the stream, after what the writer holds: copied
                    // into the writer it would rent hundreds of pooled arrays at once, more than the shared pool keeps, so
                    // every such read allocated anew (measured: 500 MB of garbage and +90 MiB RSS per 1 GiB upload).
                    _bodyConsumed = true;
                    if (chunked)
                    {
                        WriteChunkSize(writer, buffer.Length);
                    }

                    side = Side.Upstream;
                    var ahead = await writer.FlushAsync(token);
                    headSent = true;
                    if (ahead.IsCanceled || ahead.IsCompleted)
                    {
                        _bodyFailure = AttemptOutcome.UpstreamReset;
                        return;
                    }

                    foreach (var segment in buffer)
                    {
                        await connection.Stream.WriteAsync(segment, token);
                    }

                    if (chunked)
                    {
                        writer.Write("\r\n"u8);
                    }
                }
                else if (!buffer.IsEmpty)
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

                    // The whole request is out: from now on the pod's silence is a read timeout, no longer a send one.
                    if (!_headReceived && _sendTimeout != _headersTimeout)
                    {
                        connection.Arm(_headersTimeout);
                    }

                    return;
                }

                if (!_headReceived)
                {
                    connection.Arm(_sendTimeout);
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

    private static void WriteChunkSize(PipeWriter writer, long size)
    {
        var line = writer.GetSpan(20);
        Utf8Formatter.TryFormat(size, line, out var written, Hex);
        line[written++] = (byte)'\r';
        line[written++] = (byte)'\n';
        writer.Advance(written);
    }

    private static void WriteBody(PipeWriter writer, in ReadOnlySequence<byte> buffer, bool chunked)
    {
        if (chunked)
        {
            WriteChunkSize(writer, buffer.Length);
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
