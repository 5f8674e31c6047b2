using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace LoadGen;

/// <summary>Latency of every measured request (from its due time), status and error counts, header values.</summary>
/// <param name="byDue">Also keep each latency at its request's place in the schedule, for <see cref="WriteLatencyLog"/>.</param>
internal sealed class Recorder(Schedule schedule, string? countHeader, bool byDue = false)
{
    private readonly long[] _latencies = new long[schedule.MeasuredCount];

    // Null unless asked for; -1 where a request got no answer.
    private readonly long[]? _byDue = byDue ? Enumerable.Repeat(-1L, schedule.MeasuredCount).ToArray() : null;
    private readonly ConcurrentDictionary<string, int> _headerValues = new(StringComparer.Ordinal);
    private int _completed;
    private int _ok;
    private int _non2xx;
    private int _errors;
    private int _finished;
    private int _dispatched;
    private long _lastCompletion;

    public string? CountHeader => countHeader;

    public int Ok => _ok;

    public int Non2xx => _non2xx;

    /// <summary>Measured requests that got no answer: connect, TLS, read or write failures and timeouts.</summary>
    public int Errors => _errors + (schedule.MeasuredCount - _completed - _errors);

    public bool AllDone => Volatile.Read(ref _finished) >= schedule.Total;

    public long LastCompletion => Interlocked.Read(ref _lastCompletion);

    public IReadOnlyDictionary<string, int> HeaderValues => _headerValues;

    public void Dispatched() => Interlocked.Increment(ref _dispatched);

    public void Complete(int index, int status, string? headerValue)
    {
        var now = Stopwatch.GetTimestamp();
        if (schedule.IsMeasured(index))
        {
            var slot = Interlocked.Increment(ref _completed) - 1;
            _latencies[slot] = now - schedule.Due(index);
            if (_byDue is not null)
            {
                _byDue[index - schedule.WarmupCount] = _latencies[slot];
            }
            if (status is >= 200 and < 300)
            {
                Interlocked.Increment(ref _ok);
            }
            else
            {
                Interlocked.Increment(ref _non2xx);
            }

            if (headerValue is not null)
            {
                _headerValues.AddOrUpdate(headerValue, 1, static (_, n) => n + 1);
            }

            InterlockedMax(ref _lastCompletion, now);
        }

        Interlocked.Increment(ref _finished);
    }

    public void Fail(int index)
    {
        if (schedule.IsMeasured(index))
        {
            Interlocked.Increment(ref _errors);
        }

        Interlocked.Increment(ref _finished);
    }

    /// <summary>Latency percentiles in milliseconds over the answered measured requests (nearest rank).</summary>
    public double[] Percentiles(params double[] quantiles)
    {
        var n = Volatile.Read(ref _completed);
        var sorted = _latencies.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        return [.. quantiles.Select(q => n == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * n) - 1, 0, n - 1)] * 1000.0 / Stopwatch.Frequency)];
    }

    /// <summary>
    /// Writes one line per measured request in due order, "due_ms latency_ms" (due from the first measured request;
    /// latency -1 when it got no answer): whether slow requests come together (a stall) or spread (a slower path).
    /// </summary>
    public void WriteLatencyLog(string path)
    {
        ArgumentNullException.ThrowIfNull(_byDue);
        var toMs = 1000.0 / Stopwatch.Frequency;
        var first = schedule.Due(schedule.WarmupCount);
        using var writer = new StreamWriter(path);
        for (var i = 0; i < _byDue.Length; i++)
        {
            var due = (schedule.Due(schedule.WarmupCount + i) - first) * toMs;
            var latency = _byDue[i] < 0 ? -1 : _byDue[i] * toMs;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{due:0.000} {latency:0.000}"));
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
