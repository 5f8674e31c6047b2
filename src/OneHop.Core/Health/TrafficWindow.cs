using System.Runtime.CompilerServices;

namespace OneHop.Core.Health;

/// <summary>
/// One endpoint's recent traffic for people to read (dashboard, <c>onehop status</c>): requests, failures and a latency
/// histogram per second over the last <see cref="WindowSeconds"/> seconds. Written by every attempt, so lock-free and
/// allocation-free: a ring of one-second slots of plain counters, each slot claimed for a new second by one
/// compare-and-swap. An increment racing that claim can be lost; a view of load, not an accounting, can afford it
/// (Prometheus metrics stay exact).
/// </summary>
internal sealed class TrafficWindow
{
    /// <summary>How far back rates and percentiles look, in whole seconds (the second under way is not counted).</summary>
    public const int WindowSeconds = 10;

    /// <summary>Upper bound of latency bucket 0; bucket i ends at <c>FirstBound * 2^i</c>, the last is open (about 33 s on).</summary>
    private const double FirstBound = 0.000_25;
    private const int Buckets = 18;
    private const int Slots = 16;
    private const int Width = Buckets + 2;
    private const int RequestsCell = Buckets;
    private const int ErrorsCell = Buckets + 1;

    private readonly TimeProvider _time;
    private readonly long _startSecond;
    private readonly long[] _stamps = new long[Slots];
    private readonly int[] _cells = new int[Slots * Width];

    public TrafficWindow(TimeProvider time)
    {
        _time = time;
        _startSecond = Second(time.GetTimestamp());
        Array.Fill(_stamps, long.MinValue);
    }

    /// <summary>Counts one attempt that took <paramref name="seconds"/>; <paramref name="failed"/> when the pod was at fault.</summary>
    public void Record(double seconds, bool failed)
    {
        var second = Second(_time.GetTimestamp());
        var slot = (int)(second & (Slots - 1));
        var stamp = Volatile.Read(ref _stamps[slot]);
        if (stamp != second)
        {
            if (stamp > second || Interlocked.CompareExchange(ref _stamps[slot], second, stamp) != stamp)
            {
                // A clock that went back, or another writer claimed the slot first (and clears it): count into it anyway.
                if (Volatile.Read(ref _stamps[slot]) != second)
                {
                    return;
                }
            }
            else
            {
                Array.Clear(_cells, slot * Width, Width);
            }
        }

        var row = slot * Width;
        Interlocked.Increment(ref _cells[row + Bucket(seconds)]);
        Interlocked.Increment(ref _cells[row + RequestsCell]);
        if (failed)
        {
            Interlocked.Increment(ref _cells[row + ErrorsCell]);
        }
    }

    /// <summary>The last <see cref="WindowSeconds"/> whole seconds (fewer while the endpoint is younger than that).</summary>
    public TrafficSummary Read()
    {
        var now = Second(_time.GetTimestamp());
        var span = Math.Min(WindowSeconds, now - _startSecond);
        if (span <= 0)
        {
            return default;
        }

        Span<long> histogram = stackalloc long[Buckets];
        long requests = 0, errors = 0;
        for (var slot = 0; slot < Slots; slot++)
        {
            var stamp = Volatile.Read(ref _stamps[slot]);
            if (stamp >= now - span && stamp < now)
            {
                var row = slot * Width;
                for (var b = 0; b < Buckets; b++)
                {
                    histogram[b] += Volatile.Read(ref _cells[row + b]);
                }

                requests += Volatile.Read(ref _cells[row + RequestsCell]);
                errors += Volatile.Read(ref _cells[row + ErrorsCell]);
            }
        }

        return requests == 0
            ? new TrafficSummary(0, 0, 0, null, null)
            : new TrafficSummary(requests, errors, (double)requests / span, Quantile(histogram, 0.5), Quantile(histogram, 0.99));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Second(long timestamp) => timestamp / _time.TimestampFrequency;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(double seconds) =>
        seconds <= FirstBound ? 0 : Math.Min(Buckets - 1, (int)Math.Ceiling(Math.Log2(seconds / FirstBound)));

    /// <summary>The <paramref name="q"/> quantile in seconds, interpolated linearly inside its bucket (as Prometheus does).</summary>
    private static double Quantile(ReadOnlySpan<long> histogram, double q)
    {
        long total = 0;
        foreach (var count in histogram)
        {
            total += count;
        }

        var rank = q * total;
        long below = 0;
        for (var b = 0; b < histogram.Length; b++)
        {
            if (histogram[b] > 0 && below + histogram[b] >= rank)
            {
                var lower = b == 0 ? 0 : FirstBound * Math.Pow(2, b - 1);
                var upper = FirstBound * Math.Pow(2, b);
                return lower + ((upper - lower) * Math.Clamp((rank - below) / histogram[b], 0, 1));
            }

            below += histogram[b];
        }

        return FirstBound * Math.Pow(2, histogram.Length - 1);
    }
}
