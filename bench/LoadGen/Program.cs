// loadgen: an open-loop, fixed-rate HTTP load generator for bench/run.sh.
//
// Requests are due on a fixed schedule (request i at t0 + i / rate), whatever the server does. A request that finds
// every connection busy waits in a queue, and its latency is counted from the time it was due, not from the time it
// could be sent: a stalling server cannot hide its stall by slowing the client down ("coordinated omission", the
// flaw of closed-loop tools such as wrk, whose latency is counted only from the actual send).
//
// --closed is the exception: a closed loop for maximum throughput where wrk does not fit (full TLS handshakes, see
// ClosedLoop.cs).
//
// HTTP/1.1 goes over raw sockets (optionally TLS) with keep-alive, one request at a time per connection, or a new
// connection per request (--new-connection). HTTP/2 (--h2, over TLS with ALPN) goes through HttpClient, one
// multiplexed connection per --connections.
//
// Output: one line of key=value pairs on stdout (see Report.Print), and with --latency-log every request's due time
// and latency in a file; exit code 0 even when requests failed, since
// failures are a measurement the caller reads.
using System.Diagnostics;
using LoadGen;

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

if (options.Closed)
{
    await new ClosedLoop(options, new ProcessCpu(options.CpuPids)).RunAsync(CancellationToken.None);
    return 0;
}

var schedule = new Schedule(options.Rate, options.Warmup, options.Duration);
var recorder = new Recorder(schedule, options.CountHeader, byDue: options.LatencyLog is not null);
using var abort = new CancellationTokenSource();
await using ILoadClient client = options.Http2 ? new Http2Client(options, recorder, abort.Token) : new Http1Client(options, recorder, abort.Token);

try
{
    await client.PrepareAsync();
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException or System.Security.Authentication.AuthenticationException)
{
    Console.Error.WriteLine($"loadgen: cannot reach {options.Url}: {e.Message}");
    return 1;
}

var cpu = new ProcessCpu(options.CpuPids);
var dispatcher = new Dispatcher(schedule, client, recorder, cpu);
var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var thread = new Thread(() =>
{
    dispatcher.Run();
    dispatched.SetResult();
})
{ Name = "dispatcher", IsBackground = true };
thread.Start();

// Awaited, not joined: this runs on a thread-pool thread, and a process pinned to one core has only one at first.
await dispatched.Task;

// Every request has been dispatched; wait for the answers, then give up on the rest (counted as errors).
var deadline = Stopwatch.GetTimestamp() + (long)(options.Timeout * Stopwatch.Frequency);
while (!recorder.AllDone && Stopwatch.GetTimestamp() < deadline)
{
    await Task.Delay(5);
}

var cpuTicks = cpu.Sample() - dispatcher.CpuAtStart;
var measuredEnd = recorder.LastCompletion;
await abort.CancelAsync();
Report.Print(schedule, recorder, cpuTicks, dispatcher, measuredEnd);
if (options.LatencyLog is { } log)
{
    recorder.WriteLatencyLog(log);
}

return 0;
