using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using OneHop.Cli;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Cli;

/// <summary><c>onehop status</c> against a running instance's admin API.</summary>
public sealed class StatusCommandTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_table_shows_each_route_its_service_and_pods_with_state_and_load()
    {
        await using var pods = await TestPods.StartAsync("web", 2, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = DefaultClass + Service("web", pods.Port, Endpoint.Ready(pods["web-0"]), Endpoint.Terminating(pods["web-1"]))
                    + Ingress("site", ("www.example.com", "/shop", "Prefix", "web")),
            },
            Cancel);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await onehop.GetAsync("/shop", Cancel, host: "www.example.com")).Status);
        }

        // Rates count whole seconds: the one under way shows once it is over.
        await Task.Delay(TimeSpan.FromSeconds(1.1), Cancel);
        var (exit, output) = await StatusAsync(["status", "--admin", Admin(onehop)]);

        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        Assert.StartsWith($"OneHop at {Admin(onehop)}: ready, standalone, no zone, snapshot ", lines[0], StringComparison.Ordinal);
        var header = Array.FindIndex(lines, l => l.StartsWith("ROUTE", StringComparison.Ordinal));
        Assert.True(header >= 0, output);
        Assert.Matches(@"^ROUTE\s+SERVICE\s+POD\s+STATE\s+ZONE/NODE\s+REQ/S\s+P50 MS\s+P99 MS\s+IN FLIGHT\s+ERRORS$", lines[header]);
        Assert.True(Regex.IsMatch(lines[header + 1], @"^www\.example\.com/shop \(Ingress\)\s+default/web:80\s+web-0\s+ready\s+-/-\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d\s+0\s+0$"), output);
        Assert.True(Regex.IsMatch(lines[header + 2], @"^\s+web-1\s+terminating \(idle\)\s+-/-\s+0\.0\s+-\s+-\s+0\s+0$"), output);
    }

    [Fact]
    public async Task A_capped_service_shows_its_cap_and_its_queue()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        pods["web-0"].Behavior.Delay = TimeSpan.FromSeconds(3);
        var capped = new Dictionary<string, string> { ["concurrency-max-per-endpoint"] = "1" };
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + AnnotatedService("web", pods.Port, capped, [.. pods.All.Select(Endpoint.Ready)]) + Ingress("site", "/", "web") },
            Cancel);

        var requests = Enumerable.Range(0, 3).Select(_ => onehop.Proxy.GetAsync("/", Cancel)).ToList();
        await OneHopInstance.EventuallyAsync(
            async () => (await StatusAsync(["status", "--admin", Admin(onehop)])).Output.Contains("default/web:80 [max 1/pod, 2 queued]", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5),
            "the table to show two requests queued",
            Cancel);
        foreach (var response in await Task.WhenAll(requests))
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_tcp_listener_is_a_route_row_whose_pod_counts_its_open_connections_in_flight()
    {
        await using var edge = await Proxy.Tcp.TcpEchoEdge.StartAsync(Cancel);
        var onehop = edge.OneHop;

        var (exit, output) = await StatusAsync(["status", "--admin", Admin(onehop)]);

        Assert.Equal(0, exit);
        Assert.Contains(output.Split('\n'), l => Regex.IsMatch(l, @"^tcp echo \(config\)\s+tcp/default/echo:80\s+echo-0\s+ready\s+-/-\s+\d+\.\d\s+\S+\s+\S+\s+1\s+0$"));
    }

    [Fact]
    public async Task Json_prints_the_topology_document_and_problems_show_in_the_table()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods) + Ingress("site", "/", "web") },
            Cancel);
        await onehop.WriteManifestAsync("broken.yaml", "kind: [unclosed\n", Cancel);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.StatusAsync(Cancel)).GetProperty("diagnostics").GetArrayLength() > 0, TimeSpan.FromSeconds(10), "the broken manifest's error", Cancel);

        var (exit, json) = await StatusAsync(["status", "--admin", Admin(onehop), "--json"]);
        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(json);
        Assert.Equal("web-0", document.RootElement.GetProperty("services")[0].GetProperty("zones")[0].GetProperty("nodes")[0].GetProperty("pods")[0].GetProperty("name").GetString());
        Assert.Contains(document.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetProperty("subject").GetString()!.Contains("broken.yaml", StringComparison.Ordinal));

        var (_, table) = await StatusAsync(["status", "--admin", Admin(onehop)]);
        Assert.Contains(table.Split('\n'), l => l.StartsWith("ERROR config: ", StringComparison.Ordinal) && l.Contains("broken.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_redraws_until_cancelled()
    {
        await using var pods = await TestPods.StartAsync("web", 1, Cancel);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["all.yaml"] = DefaultClass + Service("web", pods) + Ingress("site", "/", "web") },
            Cancel);
        using var text = new StringWriter();
        var output = TextWriter.Synchronized(text);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var parsed = OneHopCli.Create().Parse(["status", "--admin", Admin(onehop), "--watch", "--interval", "100ms"]);
        var watching = parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stop.Token);

        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(Count(Snapshot(output, text), "OneHop at ") >= 3), TimeSpan.FromSeconds(15), "three redraws", Cancel);
        await stop.CancelAsync();

        Assert.Equal(0, await watching);
    }

    [Fact]
    public async Task An_unreachable_admin_api_is_one_line_and_exit_code_1()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, output) = await StatusAsync(["status", "--admin", $"127.0.0.1:{port}"]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"onehop status: cannot read http://127.0.0.1:{port}/api/topology: ", output, StringComparison.Ordinal);
        Assert.Single(output.TrimEnd('\n').Split('\n'));
    }

    private static string Admin(OneHopInstance onehop) => new Uri(onehop.Server.AdminUrl).Authority;

    private static async Task<(int Exit, string Output)> StatusAsync(string[] args)
    {
        using var output = new StringWriter();
        var exit = await OneHopCli.InvokeAsync(args, output, output);
        return (exit, output.ToString());
    }

    /// <summary>What the command wrote so far: <see cref="TextWriter.Synchronized"/> writes under a lock on itself.</summary>
    private static string Snapshot(TextWriter synchronized, StringWriter text)
    {
        lock (synchronized)
        {
            return text.ToString();
        }
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;
}
