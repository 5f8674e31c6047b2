using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<string> _output;

    private OneHopProcess(Process process, Uri proxy, Uri admin, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
        Proxy = proxy;
        Admin = admin;
    }

    public Uri Proxy { get; }

    public Uri Admin { get; }

    public int Id => _process.Id;

    /// <summary>The last 40 lines it wrote (stdout and stderr: its warnings and errors), for a failing test's message.</summary>
    public string Output => string.Join('\n', _output.TakeLast(40));

    /// <summary>The lines it wrote that contain <paramref name="text"/>.</summary>
    public IEnumerable<string> Lines(string text) => _output.Where(l => l.Contains(text, StringComparison.Ordinal));

    public static Task<OneHopProcess> StartAsync(string manifests, string? config, CancellationToken cancellationToken, IEnumerable<string>? extra = null) =>
        StartAsync(["--manifests", manifests, .. config is null ? [] : new[] { "--config", config }, .. extra ?? []], cancellationToken);

    /// <summary>
    /// <c>onehop run</c> with <paramref name="arguments"/> (the source and anything else), listening on free loopback
    /// ports, with <paramref name="environment"/> added to its environment; returns once it says it is ready.
    /// </summary>
    public static async Task<OneHopProcess> StartAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(["run", "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--log-level", "Warning", .. arguments]);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        var errors = CollectAsync(process.StandardError, output);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            Match? listening = null;
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                output.Enqueue(line);
                listening ??= Listening().Match(line) is { Success: true } m ? m : null;
                if (line.StartsWith("OneHop is ready", StringComparison.Ordinal) && listening is not null)
                {
                    _ = CollectAsync(process.StandardOutput, output);
                    return new OneHopProcess(process, new Uri(listening.Groups[1].Value), new Uri(listening.Groups[2].Value), output);
                }
            }

            await errors;
            throw new InvalidOperationException($"onehop exited before it was ready:\n{string.Join('\n', output.TakeLast(40))}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new TimeoutException($"onehop was not ready after 30 s:\n{string.Join('\n', output.TakeLast(40))}");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private static async Task CollectAsync(StreamReader reader, ConcurrentQueue<string> output)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            output.Enqueue(line);
        }
    }

    /// <summary>
    /// How to start onehop with <paramref name="arguments"/>: the JIT build beside the tests (<c>dotnet onehop.dll</c>),
    /// or the executable <c>$ONEHOP_EXE</c> names (the Native AOT build: bench/aot-check.sh).
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var executable = Environment.GetEnvironmentVariable("ONEHOP_EXE");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(executable) ? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string.IsNullOrEmpty(executable) ? [Path.Combine(AppContext.BaseDirectory, "onehop.dll")] : Array.Empty<string>()).Concat(arguments))
        {
            start.ArgumentList.Add(arg);
        }

        return start;
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
