using System.Diagnostics;

namespace OneHop.IntegrationTests.Support;

/// <summary>Runs a real client (openssl, curl) with a deadline and returns what it printed.</summary>
internal static class ExternalTool
{
    public static bool Exists(string name) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, name)));

    public static async Task<(int Code, string Output, string Error)> RunAsync(string file, IEnumerable<string> args, string? input, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        Assert.SkipUnless(Exists(file), $"{file} is not installed (apt-get install -y {file})");
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
