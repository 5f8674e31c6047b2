using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// One connection to an endpoint: the socket, its stream (TLS or not) as a pipe both ways, and the one cancellation
/// source that every operation of the exchange under way waits on — armed as the exchange's timer, cancelled by the
/// client going away or the caller's deadline, reset when the connection goes back to the pool. Serves one exchange at
/// a time; everything per exchange lives here or in its <see cref="Http1Exchange"/>, allocated once per connection.
/// </summary>
internal sealed class Http1Connection : IDisposable
{
    private static readonly IOException Closed = new("The upstream connection was closed.");

    private readonly IUpstreamSocket _socket;
    private readonly Stream _stream;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ITimer _timer;
    private readonly TimeProvider _time;
    private long _deadline;
    private TimeSpan _armedFor;
    private volatile bool _armed;
    private volatile bool _heldForPace;
    private int _reason;
    private int _disposed;

    public Http1Connection(Http1Upstream upstream, IUpstreamSocket socket, Stream stream, Http1ForwarderOptions options, TimeProvider time, ILogger logger)
    {
        Upstream = upstream;
        _socket = socket;
        _stream = stream;
        IsTls = stream is System.Net.Security.SslStream;
        // The shared array pool, rented per read and write and given back when consumed or flushed: the reads wait for
        // data with a zero-byte read first (WaitForDataAsync), so only connections moving bytes hold a buffer, about
        // as many as there are cores, which the pool's per-core stacks keep. (With a buffer rented by every pending
        // read, 64 waiting exchanges outran the pool and each rent allocated 16 KiB; each connection then kept three
        // blocks of its own, 48 KiB per idle connection.) No MemoryPool: MemoryPool<byte>.Shared wraps every rent in
        // an object, the pipes' default rents arrays directly.
        Reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: options.ReadBufferBytes, minimumReadSize: 2048, leaveOpen: true));
        Writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 4096, leaveOpen: true));
        _time = time;

        // The exchange's timer, one per connection. Not CancellationTokenSource's own (CancelAfter with a
        // TimeProvider): such a source can never be reset, and the connection could not be pooled.
        _timer = time.CreateTimer(static s => ((Http1Connection)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Exchange = new Http1Exchange(this, options, time, logger);
    }

    public Http1Upstream Upstream { get; }

    public PipeReader Reader { get; }

    public PipeWriter Writer { get; }

    /// <summary>The stream under <see cref="Writer"/>, for data written around it once the writer is flushed.</summary>
    public Stream Stream => _stream;

    public bool IsTls { get; }

    /// <summary>The exchange object this connection reuses for every request it carries.</summary>
    public Http1Exchange Exchange { get; }

    /// <summary>Cancelled when the exchange under way must stop (timer, client, caller).</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Why <see cref="Token"/> was cancelled: the first reason given, which later ones never overwrite.</summary>
    public Http1CancelReason CancelReason => (Http1CancelReason)Volatile.Read(ref _reason);

    /// <summary>True once the connection has carried a request: a failure on it may be the server's idle close.</summary>
    public bool IsReused { get; set; }

    /// <summary>When the connection went idle (<see cref="TimeProvider.GetTimestamp"/>), while it sits in the pool.</summary>
    public long IdleSince { get; set; }

    /// <summary>
    /// Waits for the endpoint to send something or close, with a zero-byte read on the stream: the pipe rents a read
    /// buffer only once there are bytes to put in it, so a connection waiting on a slow pod (or a tunnel waiting on
    /// either side) holds none. Awaited in the caller's own frame, it also spares the pipe's read its async frame
    /// (StreamPipeReader boxes one per read that waits): the read that follows finds the bytes there. Call it only when
    /// <see cref="Reader"/> holds nothing unexamined; a zero-byte read that cannot wait just returns.
    /// </summary>
    public ValueTask<int> WaitForDataAsync() => _stream.ReadAsync(Memory<byte>.Empty, _cancellation.Token);

    /// <summary>
    /// While held, the timer does not run out but starts over: the exchange waits on the answer's pace
    /// (<see cref="IPacingWriter"/>), not on the endpoint, whose silence the timer measures. The client's leaving and the
    /// route's time limit still end such a wait.
    /// </summary>
    public void HoldForPace(bool held) => _heldForPace = held;

    /// <summary>(Re)starts the exchange's timer: when it runs out, <see cref="Token"/> is cancelled with <see cref="Http1CancelReason.TimedOut"/>.</summary>
    public void Arm(TimeSpan timeout)
    {
        _armedFor = timeout;
        // A timeout beyond what a timer takes (about 24 days), or an infinite one, never runs out.
        var endless = timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue;
        Volatile.Write(ref _deadline, endless ? long.MaxValue : _time.GetTimestamp() + (long)(timeout.TotalSeconds * _time.TimestampFrequency));
        _armed = true;
        try
        {
            _timer.Change(endless ? Timeout.InfiniteTimeSpan : timeout, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops the exchange under way; the first reason given is the one kept. Safe from any thread.</summary>
    public void Cancel(Http1CancelReason reason)
    {
        Interlocked.CompareExchange(ref _reason, (int)reason, (int)Http1CancelReason.None);
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Readies the connection for the next exchange; false when this one was cancelled (it must be closed).</summary>
    public bool TryReset()
    {
        _armed = false;
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Volatile.Read(ref _reason) == 0 && _cancellation.TryReset();
    }

    /// <summary>True when the server has closed (or written to) the connection while it sat idle (<see cref="IUpstreamSocket.LooksClosed"/>).</summary>
    public bool LooksClosed() => _socket.LooksClosed(IsTls);

    /// <summary>
    /// Closes the connection. Only its owner calls this, with no read or write of its pipes in flight (the pipes'
    /// buffers go back to the pool here); idempotent.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Cancel(Http1CancelReason.Finished);

        // The socket first, so nothing below can block on it; the writer completes with an error so that it does not
        // try to send what it still buffers (a head that was never meant to go).
        _socket.Dispose();
        _stream.Dispose();
        Reader.Complete();
        Writer.Complete(Closed);
        _timer.Dispose();
        _cancellation.Dispose();
    }

    /// <summary>
    /// A callback that comes late — after the timer was disarmed for the pool — finds the flag down and does nothing;
    /// one that comes before the deadline (re-armed for later meanwhile, or a timer a tick early) waits out the rest.
    /// </summary>
    private void OnTimer()
    {
        var deadline = Volatile.Read(ref _deadline);
        if (!_armed || deadline == long.MaxValue)
        {
            return;
        }

        var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
        if (left <= TimeSpan.Zero && _heldForPace)
        {
            left = _armedFor;
            Volatile.Write(ref _deadline, _time.GetTimestamp() + (long)(left.TotalSeconds * _time.TimestampFrequency));
        }

        if (left > TimeSpan.Zero)
        {
            try
            {
                _timer.Change(left, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }

            return;
        }

        Cancel(Http1CancelReason.TimedOut);
    }
}
