using System.Globalization;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A small network of the test's own (root only): hosts that are network namespaces named
/// <c>ohlab-PID-N-HOST</c>, joined by veth links or a bridge, running real processes (OneHop, keepalived, curl).
/// Dispose kills every process in the namespaces and deletes them; namespaces of test processes that no longer run
/// are swept, processes and all, when the next lab starts.
/// </summary>
internal sealed class NetnsLab : IAsyncDisposable
{
    private const string Prefix = "ohlab-";
    private static int _next;
    private readonly string _name = $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _next)}-";
    private readonly List<string> _hosts = [];
    private readonly List<LabProcess> _processes = [];

    private NetnsLab()
    {
    }

    public static NetnsLab Create()
    {
        Assert.SkipUnless(IpCommand.Available, "network-namespace tests need root and iproute2 (apt-get install -y iproute2)");
        SweepStale();
        return new NetnsLab();
    }

    /// <summary>The namespace of <paramref name="host"/>.</summary>
    public string Namespace(string host) => _name + host;

    /// <summary>New hosts, each with its loopback up.</summary>
    public void AddHosts(params string[] hosts)
    {
        foreach (var host in hosts)
        {
            IpCommand.Run("netns", "add", Namespace(host));
            _hosts.Add(host);
            Ip(host, "link", "set", "lo", "up");
        }
    }

    /// <summary>
    /// A veth pair from <paramref name="a"/>'s <paramref name="ifA"/> to <paramref name="b"/>'s <paramref name="ifB"/>,
    /// both up, each end with its address (CIDR) when given.
    /// </summary>
    public void Link(string a, string ifA, string? addressA, string b, string ifB, string? addressB)
    {
        IpCommand.Run("link", "add", ifA, "netns", Namespace(a), "type", "veth", "peer", "name", ifB, "netns", Namespace(b));
        foreach (var (host, iface, address) in new[] { (a, ifA, addressA), (b, ifB, addressB) })
        {
            if (address is not null)
            {
                Ip(host, "addr", "add", address, "dev", iface);
            }

            Ip(host, "link", "set", iface, "up");
        }
    }

    /// <summary>An L2 segment: a bridge in <paramref name="switchHost"/> with a port for each host's <paramref name="iface"/>.</summary>
    public void Lan(string switchHost, string iface, params (string Host, string Address)[] members)
    {
        Ip(switchHost, "link", "add", "br0", "type", "bridge");
        Ip(switchHost, "link", "set", "br0", "up");
        foreach (var (host, address) in members)
        {
            Link(host, iface, address, switchHost, $"p-{host}", null);
            Ip(switchHost, "link", "set", $"p-{host}", "master", "br0");
        }
    }

    /// <summary><c>ip ARGS</c> inside <paramref name="host"/>; throws when it fails.</summary>
    public string Ip(string host, params string[] args) => IpCommand.Run(["-n", Namespace(host), .. args]);

    /// <summary>Runs <paramref name="file"/> in <paramref name="host"/> to its end.</summary>
    public (int Code, string Output) Exec(string host, string file, params string[] args) =>
        IpCommand.TryRun(["netns", "exec", Namespace(host), file, .. args]);

    /// <summary>Starts <paramref name="file"/> in <paramref name="host"/>; killed with the lab.</summary>
    public LabProcess Start(string host, string file, params string[] args)
    {
        var process = LabProcess.Start($"{host}:{Path.GetFileName(file)}", "ip", ["netns", "exec", Namespace(host), file, .. args]);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Starts <c>onehop ARGS</c> in <paramref name="host"/>.</summary>
    public LabProcess StartOneHop(string host, params string[] args) =>
        Start(host, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(AppContext.BaseDirectory, "onehop.dll"), .. args]);

    /// <summary>The last lines every process of the lab printed, for a failure message.</summary>
    public string Logs()
    {
        lock (_processes)
        {
            return string.Join("\n", _processes.Select(p => $"--- {p.Name} ---\n{string.Join("\n", p.Lines.TakeLast(30))}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<LabProcess> processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }

        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        foreach (var host in _hosts)
        {
            Remove(Namespace(host));
        }
    }

    /// <summary>Kills what still runs in the namespace (keepalived's scripts, a process that escaped its parent) and deletes it.</summary>
    private static void Remove(string name)
    {
        foreach (var pid in IpCommand.TryRun("netns", "pids", name).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(pid, CultureInfo.InvariantCulture, out var id))
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(id);
                    process.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }

        IpCommand.TryRun("netns", "del", name);
    }

    /// <summary>Removes the namespaces of labs whose test process no longer runs.</summary>
    private static void SweepStale()
    {
        foreach (var line in IpCommand.TryRun("netns", "list").Output.Split('\n'))
        {
            var name = line.Split(' ')[0];
            if (name.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(name[Prefix.Length..].Split('-')[0], CultureInfo.InvariantCulture, out var owner)
                && owner != Environment.ProcessId && !Directory.Exists($"/proc/{owner}"))
            {
                Remove(name);
            }
        }
    }
}
