using System.Globalization;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Deploy;

/// <summary>
/// deploy/ha/keepalived.conf run by Debian's keepalived (docs/ha.md, topology 1): two OneHop hosts and a client on one
/// L2 segment (a bridge between network namespaces), each host with its own pod, keepalived on each host with the
/// example as shipped but for the VIP and the second host's priority. The active OneHop is drained the way the docs
/// say (SIGTERM with a drain delay: <c>/readyz</c> turns 503, keepalived lowers the priority, the peer takes the VIP),
/// while a client sends requests to the VIP over a new connection each.
/// </summary>
public sealed class KeepalivedFailoverTests(ITestOutputHelper output)
{
    private const string Vip = "10.204.0.10";

    /// <summary>The drain delay docs/ha.md asks for with the example's timings.</summary>
    private const string DrainDelay = "8s";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_VIP_moves_when_the_active_OneHop_drains_and_no_request_fails()
    {
        Assert.SkipUnless(ExternalTool.Exists("keepalived"), "keepalived is not installed (apt-get install -y keepalived; see .ci/run)");
        Assert.SkipUnless(ExternalTool.Exists("curl"), "curl is not installed (apt-get install -y curl)");
        var lab = NetnsLab.Create();
        var work = Directory.CreateTempSubdirectory("onehop-keepalived-");
        try
        {
            lab.AddHosts("lan", "a", "b", "client");
            lab.Lan("lan", "eth0", ("a", "10.204.0.1/24"), ("b", "10.204.0.2/24"), ("client", "10.204.0.3/24"));
            var onehops = new Dictionary<string, LabProcess>();
            foreach (var host in new[] { "a", "b" })
            {
                var manifests = work.CreateSubdirectory(host);
                await File.WriteAllTextAsync(Path.Combine(manifests.FullName, "web.yaml"), Yaml.DefaultClass + Yaml.Service("web", 8081, new Yaml.Endpoint("127.0.0.2", $"pod-{host}")) + Yaml.Ingress("web", "/", "web"), Cancel);
                lab.StartOneHop(host, "pod", "--pod", $"pod-{host}=127.0.0.2:8081");

                // The admin API on 127.0.0.1:9901 is what the example's check asks.
                onehops[host] = lab.StartOneHop(host, "run", "--manifests", manifests.FullName, "--http", "0.0.0.0:8080", "--admin", "127.0.0.1:9901", "--drain-delay", DrainDelay, "--log-level", "Warning");
            }

            foreach (var host in onehops.Keys)
            {
                await EventuallyAsync(() => lab.Exec(host, "curl", "-fsS", "-o", "/dev/null", "--max-time", "1", "http://127.0.0.1:9901/readyz").Code == 0, TimeSpan.FromSeconds(40), $"OneHop on {host} ready", lab);
            }

            var example = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy/ha/keepalived.conf"), Cancel);
            Assert.Contains("192.0.2.10/24", example, StringComparison.Ordinal);
            Assert.Contains("priority 150 ", example, StringComparison.Ordinal);
            foreach (var (host, priority) in new[] { ("a", "150"), ("b", "100") })
            {
                var config = Path.Combine(work.FullName, host, "keepalived.conf");
                await File.WriteAllTextAsync(config, example.Replace("192.0.2.10/24", Vip + "/24", StringComparison.Ordinal).Replace("priority 150 ", $"priority {priority} ", StringComparison.Ordinal), Cancel);
                var pids = Path.Combine(work.FullName, host);
                lab.Start(host, "keepalived", "--dont-fork", "--log-console", "--log-detail", "--vrrp", "-f", config, "-p", Path.Combine(pids, "keepalived.pid"), "-r", Path.Combine(pids, "vrrp.pid"));
            }

            await EventuallyAsync(() => HoldsVip(lab, "a"), TimeSpan.FromSeconds(20), "the VIP on a (priority 150)", lab);
            Assert.False(HoldsVip(lab, "b"));

            var client = lab.Start("client", "bash", "-c", $"while :; do r=$(curl -s -o /dev/null --max-time 3 -w '%{{http_code}} %{{exitcode}} %header{{x-pod}}' http://{Vip}:8080/); printf '%s %s\\n' \"$EPOCHREALTIME\" \"$r\"; done");
            await EventuallyAsync(() => Answers(client).Count(r => r.Pod == "pod-a") >= 10, TimeSpan.FromSeconds(15), "requests through the VIP answered by a", lab);

            // Drain a as `systemctl stop onehop` does.
            var drained = Now();
            onehops["a"].Signal("TERM");
            await EventuallyAsync(() => HoldsVip(lab, "b"), TimeSpan.FromSeconds(20), "the VIP on b", lab);
            var vipMoved = Now() - drained;
            Assert.False(HoldsVip(lab, "a"));

            // Past the drain delay: a has stopped, so a VIP that had not really moved would show failures now.
            await EventuallyAsync(() => onehops["a"].HasExited, TimeSpan.FromSeconds(20), "OneHop on a to stop after its drain delay", lab);
            await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
            await client.DisposeAsync();

            var answers = Answers(client);
            var failures = answers.Where(r => r.Status != 200).ToList();
            var lastA = answers.Where(r => r.Pod == "pod-a").Max(r => r.At);
            var firstB = answers.Where(r => r.Pod == "pod-b").Select(r => r.At).DefaultIfEmpty(double.NaN).Min();
            // The window the client saw: from the last answer before the first failure to the first answer after the last.
            var window = failures.Count == 0 ? 0
                : answers.Where(r => r.Status == 200 && r.At > failures.Max(f => f.At)).Select(r => r.At).DefaultIfEmpty(double.PositiveInfinity).Min()
                    - answers.Where(r => r.Status == 200 && r.At < failures.Min(f => f.At)).Select(r => r.At).DefaultIfEmpty(drained).Max();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"VIP on b {vipMoved:0.00}s after SIGTERM; {answers.Count} requests ({answers.Count / (answers[^1].At - answers[0].At):0} per second), {failures.Count} failed; failover window {window:0.00}s; last answer by a at +{lastA - drained:0.00}s, first by b at +{firstB - drained:0.00}s"));
            foreach (var failure in failures)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  failed at +{failure.At - drained:0.00}s: status {failure.Status}, curl exit code {failure.Exit}"));
            }

            // docs/ha.md: two failed checks and three adverts, about 5s; bounds generous for a loaded machine. A SYN that
            // left for a's MAC just before b's gratuitous ARP is sent again after 1s, within curl's 3s.
            Assert.True(vipMoved < 15, $"the VIP took {vipMoved:0.0}s to move");
            Assert.True(firstB > drained, "b answered through the VIP after the drain");
            Assert.DoesNotContain(failures, f => f.At < drained);
            Assert.DoesNotContain(failures, f => f.At > firstB + 1);
            Assert.True(window <= 5, $"requests failed over {window:0.00}s");
        }
        finally
        {
            await lab.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    private static bool HoldsVip(NetnsLab lab, string host) =>
        lab.Ip(host, "-o", "-4", "addr", "show", "dev", "eth0").Contains($" {Vip}/", StringComparison.Ordinal);

    /// <summary>
    /// The client's lines: when the request ended (seconds since the epoch), its status (0: no answer), curl's exit code
    /// (28: timed out, 7: refused), the pod.
    /// </summary>
    private static List<(double At, int Status, int Exit, string? Pod)> Answers(LabProcess client) =>
        [.. client.Lines.Select(l => l.Split(' ')).Where(f => f.Length >= 3 && double.TryParse(f[0], CultureInfo.InvariantCulture, out _))
            .Select(f => (double.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture), f.Length > 3 && f[3].Length > 0 ? f[3] : null))];

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, string what, NetnsLab lab)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout.TotalSeconds}s waiting for: {what}\n{lab.Logs()}");
            await Task.Delay(50, Cancel);
        }
    }
}
