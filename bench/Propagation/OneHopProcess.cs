using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Propagation;

/// <summary>
/// OneHop as a separate process (so its RSS and CPU are its own), fed by the API test server through a kubeconfig.
/// Its output goes to <c>onehop.log</c> in the work directory.
/// </summary>
internal sealed class OneHopProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private readonly Task _pump;

    private OneHopProcess(Process process, StreamWriter log, int httpPort, int adminPort, string commandLine)
    {
        _process = process;
        _log = log;
        HttpPort = httpPort;
        AdminPort = adminPort;
        CommandLine = commandLine;
        _pump = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public int Pid => _process.Id;

    public int HttpPort { get; }

    public int AdminPort { get; }

    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    private const string Gen0Budget = "DOTNET_GCGen0MaxBudget";

    public static OneHopProcess Start(BenchOptions options, string kubeconfig, string workDirectory)
    {
        var (httpPort, adminPort) = (FreePort(), FreePort());
        var arguments = new List<string>();
        if (options.OneHopCore is { } core)
        {
            arguments.AddRange(["taskset", "-c", core.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.OneHop.EndsWith(".dll", StringComparison.Ordinal))
        {
            arguments.Add("dotnet");
        }

        arguments.AddRange([
            options.OneHop, "run", "--kubeconfig", kubeconfig,
            "--http", $"127.0.0.1:{httpPort}", "--admin", $"127.0.0.1:{adminPort}", "--log-level", "Warning",
        ]);
        if (options.MeasureRoutes)
        {
            // The Gateway's listener binds its own port on this address.
            arguments.AddRange(["--gateway-address", "127.0.0.1"]);
        }

        var start = new ProcessStartInfo(arguments[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // OneHop runs as deploy/ and the Dockerfile run it: with the GC's gen0 budget capped (unless the caller says otherwise).
        var gen0 = Environment.GetEnvironmentVariable(Gen0Budget) ?? "0x2000000";
        start.Environment[Gen0Budget] = gen0;

        // taskset execs the command, so the pid is OneHop's own.
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {arguments[0]}");
        var log = new StreamWriter(Path.Combine(workDirectory, "onehop.log")) { AutoFlush = true };
        return new OneHopProcess(process, log, httpPort, adminPort, $"{Gen0Budget}={gen0} {string.Join(' ', arguments)}");
    }

    /// <summary>Waits until <c>/readyz</c> answers 200: every kind listed once and the first snapshot serving.</summary>
    public async Task WaitReadyAsync(HttpClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"OneHop exited with code {_process.ExitCode} before it was ready (see onehop.log)");
            }

            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{AdminPort}/readyz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"OneHop was not ready after {timeout.TotalSeconds:0} s (see onehop.log)");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _pump;
        await _log.DisposeAsync();
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_logGate)
            {
                _log.WriteLine(line);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
