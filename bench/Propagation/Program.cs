// propagation: how long an EndpointSlice change at the API server takes to reach OneHop's data plane, at the scale of
// 1,000 Services and 10,000 endpoints under steady churn, and what OneHop spends in memory and CPU to keep up.
//
// The API test server, the pods, the writers and the pollers run in this process; OneHop runs as a process of its
// own, so its RSS and CPU are its own. Run it through bench/propagation.sh, which gives the pods their addresses.
// Output: the markdown report on stdout (and in --markdown FILE), progress on stderr.
using System.Runtime.InteropServices;
using Propagation;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"propagation: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};
using var terminated = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupted.Cancel();
});

try
{
    var markdown = await Bench.RunAsync(options, interrupted.Token);
    Console.Write(markdown);
    if (options.MarkdownFile is { } file)
    {
        await File.WriteAllTextAsync(file, markdown);
    }

    return 0;
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Bench.Log("interrupted; OneHop stopped");
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
{
    Bench.Log($"error: {e.Message}");
    return 1;
}
