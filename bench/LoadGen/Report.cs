using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LoadGen;

/// <summary>The one line the benchmark script parses.</summary>
internal static class Report
{
    public static void Print(Schedule schedule, Recorder recorder, long cpuTicks, Dispatcher dispatcher, long measuredEnd)
    {
        var p = recorder.Percentiles(0.5, 0.9, 0.99, 0.999, 1.0);
        var window = (measuredEnd - schedule.Due(schedule.WarmupCount)) / (double)Stopwatch.Frequency;
        var line = new StringBuilder();
        void Add(string key, object value) => line.Append(CultureInfo.InvariantCulture, $"{key}={value} ");
        Add("requests", schedule.MeasuredCount);
        Add("sent", schedule.Total); // warm-up included: what crossed the network
        Add("ok", recorder.Ok);
        Add("non2xx", recorder.Non2xx);
        Add("errors", recorder.Errors);
        Add("rate", schedule.Rate.ToString("0.#", CultureInfo.InvariantCulture));
        Add("achieved", (window > 0 ? (recorder.Ok + recorder.Non2xx) / window : 0).ToString("0.#", CultureInfo.InvariantCulture));
        string[] names = ["p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"];
        for (var i = 0; i < names.Length; i++)
        {
            Add(names[i], p[i].ToString("0.000", CultureInfo.InvariantCulture));
        }

        Add("late_max_ms", (dispatcher.MaxLateness * 1000.0 / Stopwatch.Frequency).ToString("0.000", CultureInfo.InvariantCulture));
        Add("cpu_ticks", cpuTicks);
        if (recorder.CountHeader is { } header)
        {
            // "header=X-Pod:p1/120,p2/118": which values answered how many measured requests.
            var values = recorder.HeaderValues.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}/{kv.Value}");
            Add("header", $"{header}:{string.Join(',', values)}");
        }

        Console.WriteLine(line.ToString().TrimEnd());
    }
}
