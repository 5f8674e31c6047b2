using System.Buffers;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>
/// Writes access log lines off the request path: requests queue a record (a bounded channel, never waiting) and one
/// task formats and writes them, flushing whenever the queue runs dry. A full queue drops the record and counts it;
/// a failing output (a full disk, a file that cannot be opened) loses the lines, counts and reports them, and is
/// opened again at most once a second — neither ever fails or slows a request. A file is reopened on
/// <see cref="Reopen"/> (SIGUSR1, after logrotate moved it).
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    public const int DefaultCapacity = 16_384;

    private static readonly TimeSpan RetryOpenAfter = TimeSpan.FromSeconds(1);

    private readonly Channel<AccessLogRecord> _queue;
    private readonly Func<Stream> _open;
    private readonly TimeProvider _time;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Action<AccessLogRecord> _format;
    private readonly Task _writing;
    private Stream? _output;
    private long _nextOpen;
    private int _reopen;
    private int _pending;
    private long _written;
    private long _dropped;
    private long _failed;
    private volatile ErrorReport? _lastError;
    private PosixSignalRegistration? _signal;

    public AccessLogWriter(AccessLogTarget target, AccessLogFormat format, TimeProvider time, int capacity = DefaultCapacity)
        : this(target.Open, format, time, capacity)
    {
        Target = target.Name;
    }

    /// <param name="open">Opens the output; called again after a failure or a reopen.</param>
    internal AccessLogWriter(Func<Stream> open, AccessLogFormat format, TimeProvider time, int capacity = DefaultCapacity)
    {
        _open = open;
        _time = time;
        Format = format;
        _queue = Channel.CreateBounded<AccessLogRecord>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _format = format == AccessLogFormat.Json ? new JsonAccessLogFields(_buffer).Write : new TextAccessLogFields(_buffer).Write;
        _writing = Task.Run(WriteAllAsync);
    }

    public string Target { get; } = "custom";

    public AccessLogFormat Format { get; }

    public long Written => Interlocked.Read(ref _written);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Failed => Interlocked.Read(ref _failed);

    public AccessLogStatus Status => new(Target, Format.ToString().ToLowerInvariant(), Written, Dropped, Failed, _lastError?.Message, _lastError?.At);

    /// <summary>Queues a line; when the queue is full the line is dropped and counted (the request does not wait).</summary>
    public void Enqueue(AccessLogRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
            record.Done();
        }
    }

    /// <summary>Closes the output and opens it again before the next line: a file renamed by logrotate is recreated.</summary>
    public void Reopen() => Volatile.Write(ref _reopen, 1);

    /// <summary>Reopens the file on SIGUSR1 (Linux), as nginx and HAProxy users expect of logrotate's postrotate.</summary>
    public void ReopenOnSignal()
    {
        if (OperatingSystem.IsLinux())
        {
            const int SigUsr1 = 10;
            _signal = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
            {
                context.Cancel = true;
                Reopen();
            });
        }
    }

    /// <summary>Writes what is queued, then closes the output.</summary>
    public async ValueTask DisposeAsync()
    {
        _signal?.Dispose();
        _queue.Writer.TryComplete();
        await _writing.ConfigureAwait(false);
    }

    private async Task WriteAllAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                _format(record);
                record.Done();
                _pending++;
                if (_buffer.WrittenCount >= 60 * 1024)
                {
                    await WriteBufferAsync().ConfigureAwait(false);
                }
            }

            await WriteBufferAsync().ConfigureAwait(false);
        }

        _output?.Dispose();
    }

    private async Task WriteBufferAsync()
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        var lines = _pending;
        _pending = 0;
        try
        {
            if (Output() is { } output)
            {
                await output.WriteAsync(_buffer.WrittenMemory).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
                Interlocked.Add(ref _written, lines);
            }
            else
            {
                Lost(lines, null);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            Lost(lines, ex);
            _output?.Dispose();
            _output = null;
            _nextOpen = _time.GetTimestamp() + (long)(RetryOpenAfter.TotalSeconds * _time.TimestampFrequency);
        }
        finally
        {
            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>The open output, opening it if needed (not sooner than a second after it last failed); null while it cannot be.</summary>
    private Stream? Output()
    {
        if (Interlocked.Exchange(ref _reopen, 0) == 1)
        {
            _output?.Dispose();
            _output = null;
            _nextOpen = 0;
        }

        if (_output is null && _time.GetTimestamp() >= _nextOpen)
        {
            try
            {
                _output = _open();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                _lastError = new ErrorReport(ex.Message, _time.GetUtcNow());
                _nextOpen = _time.GetTimestamp() + (long)(RetryOpenAfter.TotalSeconds * _time.TimestampFrequency);
            }
        }

        return _output;
    }

    private void Lost(int lines, Exception? ex)
    {
        Interlocked.Add(ref _failed, lines);
        if (ex is not null)
        {
            _lastError = new ErrorReport(ex.Message, _time.GetUtcNow());
        }
    }

    private sealed record ErrorReport(string Message, DateTimeOffset At);
}
