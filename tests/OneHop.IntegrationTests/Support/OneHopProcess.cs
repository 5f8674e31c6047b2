using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// <c>onehop run</c> as a process of its own, for what needs OneHop alone in its address space: its memory (RSS) under
/// a large transfer. Killed with its process tree on dispose.
/// </summary>
internal sealed partial class OneHopProcess : IAsyncDisposable
{
    private readonly Process _process;

    private OneHopProcess(Process process, Uri proxy, Uri admin)
    {
        _process = process;
        Proxy = proxy;
        Admin = admin;
    }

    public Uri Proxy { get; }

    public Uri Admin { get; }

    public int Id => _process.Id;

    public static async Task<OneHopProcess> StartAsync(string manifests, string? config, CancellationToken cancellationToken, IEnumerable<string>? extra = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] args = [Path.Combine(AppContext.BaseDirectory, "onehop.dll"), "run", "--manifests", manifests, "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--log-level", "Warning"];
        foreach (var arg in (config is null ? args : [.. args, "--config", config]).Concat(extra ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            Match? listening = null;
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                listening ??= Listening().Match(line) is { Success: true } m ? m : null;
                if (line.StartsWith("OneHop is ready", StringComparison.Ordinal) && listening is not null)
                {
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                    return new OneHopProcess(process, new Uri(listening.Groups[1].Value), new Uri(listening.Groups[2].Value));
                }
            }

            throw new InvalidOperationException($"onehop exited before it was ready: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>A field of /proc/PID/status in bytes (VmRSS, VmHWM).</summary>
    public long Memory(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Resets the peak (VmHWM) to the current RSS, so a later peak belongs to what came after.</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"OneHop is listening on (http://[^;,]+); admin API on (http://\S+)")]
    private static partial Regex Listening();
}
