using System.Diagnostics;

namespace LoadGen;

/// <summary>When each request is due: request i at <see cref="Start"/> + i / rate. The first ones warm up.</summary>
internal sealed class Schedule
{
    private readonly double _ticksPerRequest;

    public Schedule(double rate, double warmupSeconds, double durationSeconds)
    {
        Rate = rate;
        _ticksPerRequest = Stopwatch.Frequency / rate;
        WarmupCount = (int)Math.Round(rate * warmupSeconds);
        MeasuredCount = Math.Max(1, (int)Math.Round(rate * durationSeconds));
    }

    public double Rate { get; }

    public int WarmupCount { get; }

    public int MeasuredCount { get; }

    public int Total => WarmupCount + MeasuredCount;

    /// <summary>Stopwatch timestamp of request 0; set by the dispatcher when it starts.</summary>
    public long Start { get; set; }

    public long Due(int index) => Start + (long)(index * _ticksPerRequest);

    public bool IsMeasured(int index) => index >= WarmupCount;
}
