using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http1;

/// <summary>The response: head parsed and copied, then the body relayed as it is framed.</summary>
internal sealed partial class Http1Exchange
{
    /// <summary>Reads the answer and relays it; the outcome, and whether the connection may carry another request.</summary>
    /// <param name="readable">
    /// A wait for data (<see cref="Http1Connection.WaitForDataAsync"/>) has just completed: the first read goes
    /// straight to the socket. Waiting again would cost a system call per request (a 1-byte peek) to learn what is known.
    /// </param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(AttemptOutcome Outcome, bool Reusable)> ReceiveAsync(bool readable)
    {
        var reader = _connection.Reader;
        Http1ResponseHead head;
        while (true)
        {
            ReadResult result;
            try
            {
                if (!reader.TryRead(out result))
                {
                    if (!readable)
                    {
                        await _connection.WaitForDataAsync();
                    }

                    readable = false;
                    result = await reader.ReadAsync(_connection.Token);
                }
            }
            catch (Exception ex) when (IsIoFailure(ex))
            {
                return (Failed(Side.Upstream), false);
            }

            var buffer = result.Buffer;
            var copier = new Http1ResponseCopier(_context.Response, _strings, _plan.IsUpgrade);
            Http1ParseStatus status;
            string? error;
            try
            {
                status = Http1ResponseHeadParser.TryParse(buffer, _options.MaxResponseHeadBytes, _options.MaxResponseHeaders, ref copier, out head, out error);
            }
            catch (InvalidOperationException ex)
            {
                // Kestrel refused a field for the client (a byte its response encoding cannot carry).
                (status, error, head) = (Http1ParseStatus.Malformed, ex.Message, default);
            }

            _touchedResponse |= copier.Touched;
            if (status == Http1ParseStatus.Malformed)
            {
                reader.AdvanceTo(buffer.Start);
                Log.BadResponse(_logger, _connection.Upstream.Key, error!);
                return (AttemptOutcome.BadUpstreamResponse, false);
            }

            if (status == Http1ParseStatus.Incomplete)
            {
                _anyResponseByte |= !buffer.IsEmpty;
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return (_connection.Token.IsCancellationRequested ? Cancelled() : AttemptOutcome.UpstreamReset, false);
                }

                continue;
            }

            _anyResponseByte = true;
            reader.AdvanceTo(buffer.GetPosition(head.Length));
            if (head.StatusCode is >= 200 or 101)
            {
                break;
            }

            // An interim answer: a 100 lets the held body go; others (102, 103) are not passed on.
            if (head.StatusCode == 100)
            {
                _continue?.TrySetResult(true);
            }
        }

        _headReceived = true;
        _continue?.TrySetResult(false);
        if (head.StatusCode == 101)
        {
            return _plan.IsUpgrade ? (await TunnelAsync(), false) : (AttemptOutcome.BadUpstreamResponse, false);
        }

        var response = _context.Response;
        if (_shape.HoldsBack(head.StatusCode, _context))
        {
            // Nothing of it reaches the client; its body is not read, so the connection goes. A 4xx (held back for an
            // error page) is the pod answering as it should, not a failure of it.
            response.Clear();
            response.StatusCode = head.StatusCode;
            return (head.StatusCode >= 500 ? AttemptOutcome.PodError : AttemptOutcome.Success, false);
        }

        var framing = Framing(head);
        if (head.ContentLength >= 0 && head.StatusCode != 204)
        {
            response.ContentLength = head.ContentLength;
        }

        _connection.Arm(_activityTimeout);
        var outcome = framing switch
        {
            Http1ResponseFraming.ContentLength => await RelayLengthAsync(head.ContentLength),
            Http1ResponseFraming.Chunked => await RelayChunkedAsync(),
            Http1ResponseFraming.UntilClose => await RelayToCloseAsync(),
            _ => AttemptOutcome.Success,
        };
        if (outcome == AttemptOutcome.Success && head.StatusCode >= 500)
        {
            outcome = AttemptOutcome.PodError;
        }

        var keepAlive = !head.Close && (head.VersionMinor >= 1 || head.KeepAlive) && framing != Http1ResponseFraming.UntilClose;
        return (outcome, keepAlive && outcome is AttemptOutcome.Success or AttemptOutcome.PodError);
    }

    private Http1ResponseFraming Framing(in Http1ResponseHead head) =>
        _plan.IsHead || head.StatusCode is 204 or 304 ? Http1ResponseFraming.None
        : head.Chunked ? Http1ResponseFraming.Chunked
        : head.ContentLength >= 0 ? Http1ResponseFraming.ContentLength
        : Http1ResponseFraming.UntilClose;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptOutcome> RelayLengthAsync(long length)
    {
        var reader = _connection.Reader;
        var output = _context.Response.BodyWriter;
        var remaining = length;
        try
        {
            while (remaining > 0)
            {
                var result = await ReadBodyAsync();
                var buffer = result.Buffer;
                var take = Math.Min(remaining, buffer.Length);
                var data = buffer.Slice(0, take);
                if (take < remaining && result.IsCompleted)
                {
                    // Cut short: what is left is not copied, so an answer not yet started stays unwritten.
                    reader.AdvanceTo(buffer.End);
                    return Failed(Side.Upstream);
                }

                Copy(data, output);
                remaining -= take;
                _leftover = buffer.Length > take;
                reader.AdvanceTo(data.End);

                if (!await FlushClientAsync(output))
                {
                    return Failed(Side.Client);
                }
            }

            return AttemptOutcome.Success;
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return Failed(_side, ex);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptOutcome> RelayChunkedAsync()
    {
        var reader = _connection.Reader;
        var output = _context.Response.BodyWriter;
        var decoder = default(Http1ChunkedDecoder);
        var trailers = new Http1TrailerCopier(_context.Response);
        try
        {
            while (true)
            {
                var result = await ReadBodyAsync();
                var buffer = result.Buffer;
                if (!_context.Response.HasStarted)
                {
                    // Kestrel keeps written bytes until a flush, and a response cleared after a failure would still send
                    // them: the first bytes are decoded once without writing, so a bad or cut body leaves nothing behind.
                    var probe = decoder;
                    var rest = buffer;
                    var ignored = default(IgnoredFields);
                    var (probed, problem) = Decode(ref probe, ref rest, ref ignored, null, out _);
                    if (probed == Http1ParseStatus.Malformed || (probed == Http1ParseStatus.Incomplete && result.IsCompleted))
                    {
                        reader.AdvanceTo(buffer.End);
                        if (problem is null)
                        {
                            return Failed(Side.Upstream);
                        }

                        Log.BadResponse(_logger, _connection.Upstream.Key, problem);
                        return AttemptOutcome.BadUpstreamResponse;
                    }
                }

                var (status, error) = Decode(ref decoder, ref buffer, ref trailers, output, out var wrote);
                if (status == Http1ParseStatus.Malformed)
                {
                    reader.AdvanceTo(buffer.Start);
                    Log.BadResponse(_logger, _connection.Upstream.Key, error!);
                    return AttemptOutcome.BadUpstreamResponse;
                }

                var done = status == Http1ParseStatus.Complete;
                _leftover = done && !buffer.IsEmpty;
                reader.AdvanceTo(buffer.Start, done ? buffer.Start : buffer.End);
                if (wrote && !await FlushClientAsync(output))
                {
                    return Failed(Side.Client);
                }

                if (done)
                {
                    return AttemptOutcome.Success;
                }

                if (result.IsCompleted)
                {
                    return Failed(Side.Upstream);
                }
            }
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return Failed(_side, ex);
        }
    }

    /// <summary>
    /// Decodes what <paramref name="buffer"/> holds, copying chunk data to the client (none without an
    /// <paramref name="output"/>); leaves <paramref name="buffer"/> at what is left.
    /// </summary>
    private (Http1ParseStatus Status, string? Error) Decode<TSink>(
        ref Http1ChunkedDecoder decoder, ref ReadOnlySequence<byte> buffer, ref TSink trailers, PipeWriter? output, out bool wrote)
        where TSink : IHttp1HeaderSink
    {
        wrote = false;
        while (true)
        {
            var status = decoder.Read(buffer, _options.MaxResponseHeadBytes, _options.MaxResponseHeaders, ref trailers, out var data, out var consumed, out var error);
            if (status == Http1ParseStatus.Malformed)
            {
                return (status, error);
            }

            if (!data.IsEmpty && output is not null)
            {
                Copy(data, output);
                wrote = true;
            }

            buffer = buffer.Slice(consumed);
            if (status == Http1ParseStatus.Complete || data.IsEmpty)
            {
                return (status, null);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptOutcome> RelayToCloseAsync()
    {
        var reader = _connection.Reader;
        var output = _context.Response.BodyWriter;
        try
        {
            while (true)
            {
                var result = await ReadBodyAsync();
                var buffer = result.Buffer;
                Copy(buffer, output);
                reader.AdvanceTo(buffer.End);
                if (!buffer.IsEmpty && !await FlushClientAsync(output))
                {
                    return Failed(Side.Client);
                }

                if (result.IsCompleted)
                {
                    return AttemptOutcome.Success;
                }
            }
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return Failed(_side, ex);
        }
    }

    /// <summary>
    /// The next bytes of the body. When none are buffered yet the client's head goes out first, so a client waiting
    /// on a slow or streaming body sees the status at once; when they are, head and body leave in one write.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadBodyAsync()
    {
        var reader = _connection.Reader;
        if (reader.TryRead(out var result))
        {
            return result;
        }

        if (!_context.Response.HasStarted)
        {
            _side = Side.Client;
            var flush = await _context.Response.BodyWriter.FlushAsync(_connection.Token);
            if (flush.IsCompleted || flush.IsCanceled)
            {
                throw new OperationCanceledException("The client stopped reading.");
            }
        }

        _side = Side.Upstream;
        await _connection.WaitForDataAsync();
        result = await reader.ReadAsync(_connection.Token);
        _connection.Arm(_activityTimeout);
        return result;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FlushClientAsync(PipeWriter output)
    {
        _side = Side.Client;
        var pending = output.FlushAsync(_connection.Token);
        FlushResult flush;
        if (pending.IsCompletedSuccessfully || output is not IPacingWriter)
        {
            flush = await pending;
        }
        else
        {
            // Held by the answer's pace, not the pod: the pod's silence is counted again from when the bytes went.
            _connection.HoldForPace(true);
            try
            {
                flush = await pending;
            }
            finally
            {
                _connection.Arm(_activityTimeout); // before letting go, so that the timer cannot run out in between
                _connection.HoldForPace(false);
            }
        }

        return !flush.IsCompleted && !flush.IsCanceled;
    }

    private void Copy(in ReadOnlySequence<byte> data, PipeWriter output)
    {
        _bodyWritten |= !data.IsEmpty;
        _receivedBodyBytes += data.Length;
        foreach (var segment in data)
        {
            output.Write(segment.Span);
        }
    }

    /// <summary>A sink for a decoding pass whose trailers are not wanted.</summary>
    private readonly struct IgnoredFields : IHttp1HeaderSink
    {
        public void Status(int statusCode, ReadOnlySpan<byte> reason)
        {
        }

        public void Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
        }
    }
}
