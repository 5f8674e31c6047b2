using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LoadGen;

/// <summary>
/// Releases each request when it is due, on a thread of its own that sleeps with clock_nanosleep on an absolute
/// CLOCK_MONOTONIC deadline (the clock Stopwatch reads on Linux) and a timer slack of 1 ns, so that requests leave
/// within microseconds of their due time instead of the millisecond granularity of .NET timers. Requests found late
/// (the thread was descheduled) all leave at once; their lateness is part of their latency.
/// </summary>
internal sealed partial class Dispatcher(Schedule schedule, ILoadClient client, Recorder recorder, ProcessCpu cpu)
{
    private const int ClockMonotonic = 1;
    private const int TimerAbstime = 1;
    private const int PrSetTimerslack = 29;

    public long CpuAtStart { get; private set; }

    /// <summary>The largest delay between a request's due time and its release, in Stopwatch ticks.</summary>
    public long MaxLateness { get; private set; }

    public void Run()
    {
        _ = Prctl(PrSetTimerslack, 1, 0, 0, 0);
        schedule.Start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 1000);
        if (schedule.WarmupCount == 0)
        {
            CpuAtStart = cpu.Sample();
        }

        for (var i = 0; i < schedule.Total; i++)
        {
            var due = schedule.Due(i);
            var now = Stopwatch.GetTimestamp();
            if (due > now)
            {
                SleepUntil(due);
            }
            else
            {
                MaxLateness = Math.Max(MaxLateness, now - due);
            }

            if (i == schedule.WarmupCount && i > 0)
            {
                // The measured part starts: the proxy's CPU counts from here.
                CpuAtStart = cpu.Sample();
            }

            recorder.Dispatched();
            client.Dispatch(i);
        }
    }

    private static void SleepUntil(long timestamp)
    {
        // Stopwatch ticks are nanoseconds of CLOCK_MONOTONIC on Linux (Stopwatch.Frequency is 1e9 there).
        var nanoseconds = (long)(timestamp * (1e9 / Stopwatch.Frequency));
        var deadline = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        while (ClockNanosleep(ClockMonotonic, TimerAbstime, in deadline, IntPtr.Zero) == 4)
        {
            // EINTR: sleep again until the same deadline.
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
