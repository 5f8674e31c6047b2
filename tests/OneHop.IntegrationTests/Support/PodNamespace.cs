using System.Diagnostics;
using System.Globalization;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// Pods with real private addresses, as the Kubernetes API requires (it refuses loopback endpoints): a network
/// namespace of the test's own with a veth pair to the host, a /24 no one else uses (10.201.N.0/24), and a
/// <c>onehop pod</c> process inside it serving one pod per address. Everything is removed on dispose; namespaces
/// left by a crashed run are swept at the next start.
/// </summary>
public sealed class PodNamespace : IAsyncDisposable
{
    private const string Prefix = "onehop-it-";
    private static int _next;
    private readonly Process _pods;

    private PodNamespace(string name, string hostLink, int subnet, IReadOnlyList<string> podNames, int port, Process pods)
    {
        PodPort = port;
        Name = name;
        HostLink = hostLink;
        HostAddress = $"10.201.{subnet}.1";
        Addresses = podNames.Select((p, i) => (p, $"10.201.{subnet}.{i + 2}")).ToDictionary(x => x.p, x => x.Item2);
        _pods = pods;
    }

    public const int Port = 8080;

    /// <summary>The port the pods listen on: <see cref="Port"/> unless the test asked for another.</summary>
    public int PodPort { get; }

    public string Name { get; }

    public string HostLink { get; }

    public string HostAddress { get; }

    /// <summary>Pod name → its address in the namespace.</summary>
    public IReadOnlyDictionary<string, string> Addresses { get; }

    public static async Task<PodNamespace> CreateAsync(IReadOnlyList<string> podNames, CancellationToken cancellationToken, int port = Port)
    {
        Assert.SkipUnless(IpCommand.Available, "network-namespace tests need root and iproute2 (apt-get install -y iproute2)");
        SweepStale();
        var pid = Environment.ProcessId;
        var n = Interlocked.Increment(ref _next);
        var subnet = ((pid % 50) * 5 + n) % 250;
        var name = $"{Prefix}{pid}-{n}";
        var host = $"oh{pid % 10000}h{n}";
        var peer = $"oh{pid % 10000}n{n}";
        IpCommand.Run("netns", "add", name);
        try
        {
            IpCommand.Run("link", "add", host, "type", "veth", "peer", "name", peer);
            IpCommand.Run("link", "set", peer, "netns", name);
            IpCommand.Run("addr", "add", $"10.201.{subnet}.1/24", "dev", host);
            IpCommand.Run("link", "set", host, "up");
            IpCommand.Run("netns", "exec", name, "ip", "link", "set", "lo", "up");
            for (var i = 0; i < podNames.Count; i++)
            {
                IpCommand.Run("netns", "exec", name, "ip", "addr", "add", $"10.201.{subnet}.{i + 2}/24", "dev", peer);
            }

            IpCommand.Run("netns", "exec", name, "ip", "link", "set", peer, "up");
            var args = new List<string> { "netns", "exec", name, "dotnet", Path.Combine(AppContext.BaseDirectory, "onehop.dll"), "pod", "--service", "web" };
            for (var i = 0; i < podNames.Count; i++)
            {
                args.AddRange(["--pod", string.Create(CultureInfo.InvariantCulture, $"{podNames[i]}=10.201.{subnet}.{i + 2}:{port}")]);
            }

            var process = Process.Start(new ProcessStartInfo("ip", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var pods = new PodNamespace(name, host, subnet, podNames, port, process);
            for (var listening = 0; listening < podNames.Count;)
            {
                var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                    ?? throw new InvalidOperationException($"pod process exited: {await process.StandardError.ReadToEndAsync(cancellationToken)}");
                listening += line.StartsWith("pod ", StringComparison.Ordinal) ? 1 : 0;
            }

            return pods;
        }
        catch
        {
            Remove(name, host);
            throw;
        }
    }

    public string Endpoint(string pod) => $"{Addresses[pod]}:{PodPort}";

    public async ValueTask DisposeAsync()
    {
        if (!_pods.HasExited)
        {
            _pods.Kill(entireProcessTree: true);
            await _pods.WaitForExitAsync();
        }

        _pods.Dispose();
        Remove(Name, HostLink);
    }

    private static void Remove(string name, string hostLink)
    {
        IpCommand.TryRun("link", "del", hostLink);
        IpCommand.TryRun("netns", "del", name);
    }

    /// <summary>Removes namespaces of test processes that no longer run.</summary>
    private static void SweepStale()
    {
        foreach (var line in IpCommand.TryRun("netns", "list").Output.Split('\n'))
        {
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !int.TryParse(name[Prefix.Length..].Split('-')[0], CultureInfo.InvariantCulture, out var owner))
            {
                continue;
            }

            if (owner != Environment.ProcessId && !Directory.Exists($"/proc/{owner}"))
            {
                IpCommand.TryRun("netns", "del", name);
            }
        }
    }
}
