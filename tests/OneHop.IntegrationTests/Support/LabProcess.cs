using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace OneHop.IntegrationTests.Support;

/// <summary>A process of a <see cref="NetnsLab"/>: its output kept line by line, stopped by a signal or killed with its tree.</summary>
internal sealed class LabProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private int _disposed;

    private LabProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output and error, line by line, in the order they arrived.</summary>
    public IReadOnlyCollection<string> Lines => _lines;

    public static LabProcess Start(string name, string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        var lab = new LabProcess(name, process);
        process.OutputDataReceived += (_, e) => lab.Add(e.Data);
        process.ErrorDataReceived += (_, e) => lab.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return lab;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, INT) the way an init system stops a service.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Kills the process and its children; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
