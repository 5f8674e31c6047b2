using System.Diagnostics;
using OneHop.Cli;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// One onehop command to its exit: in this process (<see cref="OneHopCli"/>), or, when <c>$ONEHOP_EXE</c> names an
/// executable (the Native AOT build: bench/aot-check.sh), as that process, its output copied to the writers.
/// </summary>
internal static class OneHopCommand
{
    public static async Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ONEHOP_EXE")))
        {
            return await OneHopCli.InvokeAsync(args, stdout, stderr);
        }

        using var process = Process.Start(OneHopProcess.StartInfo(args))!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout.WriteAsync(await output);
        await stderr.WriteAsync(await errors);
        return process.ExitCode;
    }
}
