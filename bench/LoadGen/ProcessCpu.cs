using System.Globalization;

namespace LoadGen;

/// <summary>
/// CPU time of the proxy's processes, utime + stime from /proc/PID/stat in clock ticks. Those fields include the
/// threads that have already exited, which per-thread counters would lose (the .NET thread pool retires threads).
/// </summary>
internal sealed class ProcessCpu(IReadOnlyList<int> pids)
{
    public long Sample()
    {
        long total = 0;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");

                // The command name (field 2) may hold spaces: the other fields start after its closing parenthesis,
                // with field 3 (state) first, so utime (field 14) and stime (field 15) are the 12th and 13th.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process is gone: its time is lost, and the caller sees a void run from its errors anyway.
            }
        }

        return total;
    }
}
