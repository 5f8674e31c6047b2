using System.Diagnostics;
using System.Globalization;
using KubeApiTestServer;

namespace Propagation;

/// <summary>The run, step by step: pods, API server and objects, OneHop, idle CPU, warm-up, measured window.</summary>
internal static class Bench
{
    public static void Log(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[propagation {DateTime.Now:HH:mm:ss}] {message}"));

    public static async Task<string> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var work = options.WorkDirectory ?? Directory.CreateTempSubdirectory("onehop-propagation-").FullName;
        Directory.CreateDirectory(work);

        var podAddresses = Enumerable.Range(0, options.Pods).Select(p => BenchCluster.PodAddress(options, p)).ToList();
        await using var pods = await StartPodsAsync(podAddresses, cancellationToken);

        // History well beyond the run's writes, so a watch that resumes never has to re-list.
        await using var api = await KubeApiServer.StartNewAsync(new KubeApiServerOptions { HistoryCapacity = 1_000_000 }, cancellationToken);
        var cluster = new BenchCluster(api, options);
        var seeding = Stopwatch.StartNew();
        var gatewayPort = options.MeasureRoutes ? OneHopProcess.FreePort() : 0;
        cluster.Seed(gatewayPort);
        var seedTime = seeding.Elapsed;
        var seeded = (int)api.ResourceVersion - 1;
        Log($"API server on {api.BaseUri}: {seeded:N0} objects, {cluster.EndpointCount:N0} endpoints, in {seedTime.TotalSeconds:0.0} s");

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(5) };
        var starting = Stopwatch.StartNew();
        await using var onehop = OneHopProcess.Start(options, api.WriteKubeConfig(Path.Combine(work, "kubeconfig")), work);
        if (options.PidFile is { } pidFile)
        {
            await File.WriteAllTextAsync(pidFile, onehop.Pid.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }

        Log($"started OneHop (pid {onehop.Pid}): {onehop.CommandLine}");
        await onehop.WaitReadyAsync(client, TimeSpan.FromMinutes(3), cancellationToken);
        var readyTime = starting.Elapsed;
        var driver = new ProbeDriver(cluster, options, client, new Uri($"http://127.0.0.1:{onehop.HttpPort}/"), options.MeasureRoutes ? new Uri($"http://127.0.0.1:{gatewayPort}/") : null);
        await CheckProbesAsync(cluster, driver, cancellationToken);
        var ready = await MetricsScrape.ReadAsync(client, onehop.AdminPort, cancellationToken);
        var readyRss = ProcessStats.Memory(onehop.Pid).Current;
        Log($"OneHop ready in {readyTime.TotalSeconds:0.0} s: {ready["onehop_routes"]} routes, {ready["onehop_backends"]} backends, "
            + $"{ready["onehop_endpoints{state=\"ready\"}"]} ready endpoints, RSS {readyRss / 1048576.0:0.0} MiB");

        Log($"idle for {options.Idle.TotalSeconds:0} s");
        var idleCpu = ProcessStats.CpuTicks(onehop.Pid);
        await Task.Delay(options.Idle, cancellationToken);
        var idleCpuPercent = 100.0 * (ProcessStats.CpuTicks(onehop.Pid) - idleCpu) / ProcessStats.ClockTicksPerSecond / options.Idle.TotalSeconds;

        Log($"warm-up: {options.ChurnRate:0.#} background + {options.MeasuredRate:0.#} measured changes/s for {options.Warmup.TotalSeconds:0} s");
        var churn = new ChurnWriter(cluster, options);
        using var stopDriver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        churn.Start();
        var driving = driver.RunAsync(stopDriver.Token);
        try
        {
            await Task.Delay(options.Warmup, cancellationToken);

            Log($"measuring for {options.Duration.TotalSeconds:0} s");
            var before = await MetricsScrape.ReadAsync(client, onehop.AdminPort, cancellationToken);
            var (cpu0, churn0, measured0, window) = (ProcessStats.CpuTicks(onehop.Pid), churn.Writes, driver.Changes, Stopwatch.StartNew());
            var (machine0, own0) = (ProcessStats.Machine(), Process.GetCurrentProcess().TotalProcessorTime);
            driver.Recording = true;
            await Task.Delay(options.Duration, cancellationToken);
            driver.Recording = false;
            var (cpu1, churn1, measured1, elapsed) = (ProcessStats.CpuTicks(onehop.Pid), churn.Writes, driver.Changes, window.Elapsed);
            var (machine1, own1) = (ProcessStats.Machine(), Process.GetCurrentProcess().TotalProcessorTime);
            var after = await MetricsScrape.ReadAsync(client, onehop.AdminPort, cancellationToken);
            var skipped = driver.Skipped;

            churn.Stop();
            await stopDriver.CancelAsync();
            await driving;
            var (peak, end) = ProcessStats.Memory(onehop.Pid);
            if (onehop.HasExited)
            {
                throw new InvalidOperationException("OneHop exited during the run (see onehop.log)");
            }

            Log($"done: {driver.Samples.Count(s => s.Measured)} measured changes; every sample in {Path.Combine(work, "samples.csv")}");
            await File.WriteAllLinesAsync(Path.Combine(work, "samples.csv"), [Sample.CsvHeader, .. driver.Samples.Select(s => s.ToCsv())], CancellationToken.None);
            return Report.Markdown(new Figures
            {
                Options = options,
                Endpoints = cluster.EndpointCount,
                SeededObjects = seeded,
                SeedTime = seedTime,
                ReadyTime = readyTime,
                Samples = [.. driver.Samples],
                SkippedTicks = skipped,
                Window = elapsed,
                ChurnWrites = churn1 - churn0,
                MeasuredWrites = measured1 - measured0,
                IdleCpuPercent = idleCpuPercent,
                WindowCpuSeconds = (cpu1 - cpu0) / (double)ProcessStats.ClockTicksPerSecond,
                DriverCpuSeconds = (own1 - own0).TotalSeconds,
                MachineBusyPercent = 100.0 * (machine1.Busy - machine0.Busy) / (machine1.Total - machine0.Total),
                MachineCores = machine1.Cores,
                PeakRss = peak,
                ReadyRss = readyRss,
                EndRss = end,
                Before = before,
                After = after,
            });
        }
        finally
        {
            churn.Stop();
            await stopDriver.CancelAsync();
            await driving;
        }
    }

    private static async Task<PodServer> StartPodsAsync(List<string> addresses, CancellationToken cancellationToken)
    {
        try
        {
            return await PodServer.StartAsync(addresses, BenchOptions.PodPort, cancellationToken);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"cannot listen on the pod addresses {addresses[0]}–{addresses[^1]} ({e.Message}); bench/propagation.sh assigns them to an interface of its own", e);
        }
    }

    /// <summary>Before any change, every probe Service must already answer from its pod: the routes exist.</summary>
    private static async Task CheckProbesAsync(BenchCluster cluster, ProbeDriver driver, CancellationToken cancellationToken)
    {
        for (var probe = 0; probe < cluster.ProbeCount; probe++)
        {
            var (host, pod) = driver.Probe(probe);
            var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
            string? answer;
            while ((answer = await driver.AskAsync(host)) != pod)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new InvalidOperationException($"OneHop does not route {host} to {pod} (answer: {answer ?? "an error"})");
                }

                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
