using System.Globalization;

namespace Propagation;

/// <summary>A process's memory and CPU time from /proc: its own figures, whatever else runs on the machine.</summary>
internal static class ProcessStats
{
    /// <summary>The unit of /proc/PID/stat's times (<c>getconf CLK_TCK</c>; 100 on every Linux we run on).</summary>
    public const int ClockTicksPerSecond = 100;

    // /proc/stat's cpu line: user nice system idle iowait irq softirq steal ...; all but idle and iowait are busy.
    private static readonly int[] BusyFields = [1, 2, 3, 6, 7, 8];

    /// <summary>Peak resident set (VmHWM) and current resident set (VmRSS), in bytes.</summary>
    public static (long Peak, long Current) Memory(int pid)
    {
        long peak = 0, current = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kilobytes(line);
            }
        }

        return (peak, current);
    }

    /// <summary>
    /// utime + stime in clock ticks. They include threads that have exited,
    /// which per-thread counters would lose (the .NET thread pool retires threads).
    /// </summary>
    public static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) may hold spaces: the other fields start after its closing parenthesis, with
        // field 3 (state) first, so utime (field 14) and stime (field 15) are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The whole machine's busy and total time in clock ticks, summed over its cores, from the first line of
    /// /proc/stat (busy: all but idle and iowait), and its core count: how loaded it was by everyone during the window.
    /// </summary>
    public static (long Busy, long Total, int Cores) Machine()
    {
        var lines = File.ReadAllLines("/proc/stat");
        var fields = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var busy = BusyFields.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
        var total = busy + long.Parse(fields[4], CultureInfo.InvariantCulture) + long.Parse(fields[5], CultureInfo.InvariantCulture);
        return (busy, total, lines.Count(l => l.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(l[3])));
    }

    private static long Kilobytes(string line) =>
        1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
