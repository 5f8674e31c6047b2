using System.Globalization;
using System.Text;

namespace Propagation;

/// <summary>The run as a markdown section for bench/RESULTS.md (the header with date, commit and command comes from bench/propagation.sh).</summary>
internal static class Report
{
    private const double TargetP99Ms = 100;
    private const double TargetRssMiB = 300;
    private const string BuildsSucceeded = "onehop_snapshot_builds_total{result=\"success\"}";
    private const string Translate = "onehop_snapshot_build_duration_seconds";
    private const string Apply = "onehop_snapshot_apply_duration_seconds";

    public static string Markdown(Figures f)
    {
        var o = f.Options;
        var c = CultureInfo.InvariantCulture;
        var measured = f.Samples.Where(s => s.Measured).ToList();
        var seen = measured.Where(s => !s.Lost).ToList();
        var upper = Sorted(seen.Select(s => s.UpperMs));
        var lower = Sorted(seen.Select(s => s.LowerMs));
        var gap = Sorted(seen.Select(s => s.UpperMs - s.LowerMs));
        var polls = measured.Sum(s => s.Polls);
        var pollPeriod = seen.Count == 0 ? double.NaN : seen.Sum(s => s.UpperMs) / seen.Sum(s => s.Polls);
        var window = f.Window.TotalSeconds;
        var changes = f.ChurnWrites + f.MeasuredWrites;
        var cpuPercent = 100 * f.WindowCpuSeconds / window;
        var builds = f.After[BuildsSucceeded] - f.Before[BuildsSucceeded];
        var p99 = Percentile(upper, 0.99);
        var peakMiB = f.PeakRss / 1048576.0;
        var ingresses = (o.Services + o.RulesPerIngress - 1) / o.RulesPerIngress;

        var text = new StringBuilder();
        text.AppendLine(o.MeasureRoutes
            ? "#### propagation: an HTTPRoute change at the API server until its new backend receives traffic"
            : "#### propagation: an EndpointSlice change at the API server until the new pod receives traffic");
        text.AppendLine();
        text.Append(c, $"{o.Services:N0} Services, {f.Endpoints:N0} endpoints ({o.EndpointsPerSlice} per EndpointSlice, one slice per Service), {o.Services:N0} Ingress rules in {ingresses:N0} Ingresses, ");
        text.Append("served by OneHop through a kubeconfig from the API test server (tests/KubeApiTestServer, loopback, list + watch), ");
        text.Append(c, $"with the environment of deploy/ and the Dockerfile (DOTNET_GCGen0MaxBudget={Environment.GetEnvironmentVariable("DOTNET_GCGen0MaxBudget") ?? "0x2000000"}). ");
        text.Append(c, $"Background: {o.ChurnRate:0.#} EndpointSlice changes/s on random Services ({(o.PoissonArrivals ? "Poisson arrivals" : "evenly spaced")}; half flip an endpoint's readiness, half replace a pod's address). ");
        if (o.MeasureRoutes)
        {
            text.Append(c, $"Measured: {o.MeasuredRate:0.#} changes/s, each pointing one of {o.Probes} HTTPRoutes (`route-P.bench` on a Gateway's HTTP listener, GatewayClass onehop) at another of the {o.Probes} probe Services, each with one ready real pod of its own ");
            text.Append(c, $"({o.PodSubnet}.1–{o.Probes}, addresses on a veth in the root namespace); from the moment the API write returned, a poller asks OneHop's Gateway listener for that route ");
            text.Append(c, $"(`Host: route-P.bench`, one keep-alive HttpClient) every {o.PollInterval.TotalMilliseconds:0.#} ms until the new Service's pod answers. ");
        }
        else
        {
            text.Append(c, $"Measured: {o.MeasuredRate:0.#} changes/s, each moving the one ready endpoint of one of {o.Probes} probe Services to a real pod it did not have ");
            text.Append(c, $"({o.Pods} pods on {o.PodSubnet}.1–{o.Pods}, addresses on a veth in the root namespace); from the moment the API write returned, a poller asks OneHop for that Service ");
            text.Append(c, $"(`Host: svc-N.bench`, one keep-alive HttpClient) every {o.PollInterval.TotalMilliseconds:0.#} ms until the new pod answers. ");
        }

        text.Append(c, $"{o.Warmup.TotalSeconds:0} s warm-up left out, then {window:0} s measured. ");
        text.AppendLine(o.OneHopCore is { } core
            ? string.Create(c, $"OneHop pinned to core {core}; the driver (API server, pods, writers, pollers) on the other core.")
            : "No core pinning.");
        text.AppendLine();
        text.AppendLine("| propagation, ms | samples | p50 | p90 | p99 | max |");
        text.AppendLine("|---|---|---|---|---|---|");
        text.AppendLine(c, $"| **write returned → first answer from the new pod** | {seen.Count} | {Ms(upper, 0.5)} | {Ms(upper, 0.9)} | **{Ms(upper, 0.99)}** | {Ms(upper, 1)} |");
        text.AppendLine(c, $"| write returned → last request the old pod answered was sent (lower bound) | {seen.Count} | {Ms(lower, 0.5)} | {Ms(lower, 0.9)} | {Ms(lower, 0.99)} | {Ms(lower, 1)} |");
        text.AppendLine();
        text.AppendLine("| OneHop at this scale | |");
        text.AppendLine("|---|---|");
        text.AppendLine(c, $"| peak RSS (VmHWM, whole life) | **{peakMiB:0.0} MiB** (ready, before any change: {f.ReadyRss / 1048576.0:0.0} MiB; at the end: {f.EndRss / 1048576.0:0.0} MiB) |");
        text.AppendLine(c, $"| CPU in the measured window | **{cpuPercent:0.0}% of one core**, {1000 * f.WindowCpuSeconds / changes:0.00} ms per change (includes serving the pollers' {polls:N0} requests) |");
        text.AppendLine(c, $"| .NET GC in the window | {Delta(f, "dotnet_gc_collections_total{gc_heap_generation=\"gen0\"}")} gen0, {Delta(f, "dotnet_gc_collections_total{gc_heap_generation=\"gen1\"}")} gen1, {Delta(f, "dotnet_gc_collections_total{gc_heap_generation=\"gen2\"}")} gen2 collections; managed heap at the end {f.After.Sum("dotnet_gc_last_collection_heap_size_bytes") / 1048576:0.0} MiB |");
        text.AppendLine(c, $"| the whole machine in the window | **{f.MachineBusyPercent:0}% busy** over its {f.MachineCores} cores, everyone included; OneHop and this driver alone account for about {(100 * f.WindowCpuSeconds / window + 100 * f.DriverCpuSeconds / window) / f.MachineCores:0}% (the rest is other engineers' work; on OneHop's core it delays OneHop) |");
        text.AppendLine(c, $"| CPU with no changes ({o.Idle.TotalSeconds:0} s) | {f.IdleCpuPercent:0.0}% of one core |");
        text.AppendLine(c, $"| snapshot builds in the window | {builds:0} ({builds / window:0.0}/s); translate {MeanMs(f, Translate)} ms mean, rebuild start → serving {MeanMs(f, Apply)} ms mean |");
        text.AppendLine(c, $"| changes in the window | {f.ChurnWrites:N0} background ({f.ChurnWrites / window:0.0}/s) + {f.MeasuredWrites:N0} measured ({f.MeasuredWrites / window:0.0}/s); {f.SkippedTicks} measured ticks skipped (every probe still waiting) |");
        text.AppendLine(c, $"| start | {f.SeededObjects:N0} objects created in {f.SeedTime.TotalSeconds:0.0} s; OneHop ready (every kind listed, first snapshot serving) {f.ReadyTime.TotalSeconds:0.0} s after its start |");
        text.AppendLine();
        text.Append(c, $"Targets: p99 ≤ {TargetP99Ms:0} ms — {(p99 <= TargetP99Ms ? "met" : "**missed**")} ({p99:0.0} ms); ");
        text.Append(c, $"peak RSS ≤ {TargetRssMiB:0} MiB — {(peakMiB <= TargetRssMiB ? "met" : "**missed**")} ({peakMiB:0.0} MiB). ");
        text.Append(c, $"Resolution: a poller waits {o.PollInterval.TotalMilliseconds:0.#} ms between requests (measured period {pollPeriod:0.00} ms including the round trip), so the first row is an upper bound; ");
        text.Append(c, $"the routes went live between the two rows, {Ms(gap, 0.5)} ms apart at the median ({Ms(gap, 0.99)} at p99). ");
        text.Append(c, $"The slowest single request through OneHop while a change was pending took {Ms(Sorted(seen.Select(s => s.SlowestPollMs)), 1)} ms. ");
        text.AppendLine(c, $"{measured.Count - seen.Count} measured changes lost (not seen within {o.SampleTimeout.TotalSeconds:0} s); {measured.Sum(s => s.Errors)} poll errors.");
        return text.ToString();
    }

    private static double[] Sorted(IEnumerable<double> values) => [.. values.Order()];

    /// <summary>Nearest-rank percentile: the smallest sample with at least <paramref name="p"/> of them at or below it.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Ms(double[] sorted, double p) => Percentile(sorted, p).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Delta(Figures f, string counter) =>
        (f.After[counter] - f.Before[counter]).ToString("0", CultureInfo.InvariantCulture);

    private static string MeanMs(Figures f, string histogram)
    {
        var count = f.After[histogram + "_count"] - f.Before[histogram + "_count"];
        var sum = f.After[histogram + "_sum"] - f.Before[histogram + "_sum"];
        return count > 0 ? (1000 * sum / count).ToString("0.0", CultureInfo.InvariantCulture) : "–";
    }
}
