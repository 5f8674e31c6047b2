using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LoadGen;

/// <summary>
/// --closed: --connections workers, each sending its next HTTP/1.1 request as soon as the previous answer is in (as
/// wrk does), for --warmup seconds unmeasured and then --duration seconds measured. Throughput only: a closed loop
/// waits for a stalled server, so its latencies are not reported. Used where wrk does not fit: full TLS handshakes
/// (--new-connection --no-tls-resume), since wrk resumes its TLS sessions on every reconnection.
/// </summary>
internal sealed class ClosedLoop(Options options, ProcessCpu cpu)
{
    private readonly Http1Target _target = Http1Target.Create(options);
    private long _measureFrom;
    private long _measureTo;
    private int _ok;
    private int _non2xx;
    private int _errors;

    public async Task RunAsync(CancellationToken abort)
    {
        var start = Stopwatch.GetTimestamp();
        _measureFrom = start + (long)(options.Warmup * Stopwatch.Frequency);
        _measureTo = _measureFrom + (long)(options.Duration * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(() => WorkAsync(abort), abort)).ToArray();

        await DelayUntil(_measureFrom, abort);
        var cpuAtStart = cpu.Sample();
        await DelayUntil(_measureTo, abort);
        var cpuTicks = cpu.Sample() - cpuAtStart;
        try
        {
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(options.Timeout), abort);
        }
        catch (TimeoutException)
        {
            // A request that never ends: its answer is not counted, the others are.
        }

        var answered = _ok + _non2xx;
        var line = new StringBuilder();
        void Add(string key, object value) => line.Append(CultureInfo.InvariantCulture, $"{key}={value} ");
        Add("requests", answered + _errors);
        Add("ok", _ok);
        Add("non2xx", _non2xx);
        Add("errors", _errors);
        Add("achieved", (answered / options.Duration).ToString("0.#", CultureInfo.InvariantCulture));
        Add("cpu_ticks", cpuTicks);
        Console.WriteLine(line.ToString().TrimEnd());
    }

    private async Task WorkAsync(CancellationToken abort)
    {
        Http1Connection? connection = null;
        try
        {
            while (Stopwatch.GetTimestamp() < _measureTo)
            {
                try
                {
                    connection ??= await Http1Connection.OpenAsync(_target, abort);
                    var response = await connection.SendAsync(null, abort);
                    if (Measured())
                    {
                        Interlocked.Increment(ref response.Status is >= 200 and < 300 ? ref _ok : ref _non2xx);
                    }

                    if (response.Close || options.NewConnection)
                    {
                        connection.Dispose();
                        connection = null;
                    }
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException or System.Security.Authentication.AuthenticationException)
                {
                    if (Measured())
                    {
                        Interlocked.Increment(ref _errors);
                    }

                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private static Task DelayUntil(long timestamp, CancellationToken abort)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return wait > TimeSpan.Zero ? Task.Delay(wait, abort) : Task.CompletedTask;
    }

    /// <summary>Whether a request that ends now falls in the measured window.</summary>
    private bool Measured()
    {
        var now = Stopwatch.GetTimestamp();
        return now >= _measureFrom && now < _measureTo;
    }
}
