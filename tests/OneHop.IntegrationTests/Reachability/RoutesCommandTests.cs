using System.Diagnostics;
using k8s.Models;
using KubeApiTestServer;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Reachability;

/// <summary>
/// <c>onehop routes --apply</c> in network namespaces of the test's own: "outside" (the host that runs OneHop or
/// HAProxy today), "node" (a cluster node, forwarding), and "pod" behind the node on the node's pod CIDR. The pod is
/// unreachable from outside until the route is applied.
/// </summary>
public sealed class RoutesCommandTests : IAsyncDisposable
{
    private readonly string _tag = $"{Environment.ProcessId % 10000}";
    private readonly List<string> _namespaces = [];
    private Process? _pod;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Outside => $"onehop-it-{Environment.ProcessId}-rt-out";

    private static string NodeNs => $"onehop-it-{Environment.ProcessId}-rt-node";

    private static string PodNs => $"onehop-it-{Environment.ProcessId}-rt-pod";

    [Fact]
    public async Task Applying_the_routes_makes_a_pod_reachable_from_outside_and_pruning_removes_them()
    {
        Assert.SkipUnless(IpCommand.Available, "network-namespace tests need root and iproute2");
        await BuildNetworkAsync();
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = "node-1" },
            Spec = new V1NodeSpec { PodCIDRs = ["10.244.77.0/24"] },
            Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "10.202.77.2" }] },
        });
        var kubeconfig = api.WriteKubeConfig(Path.Combine(Path.GetTempPath(), $"onehop-routes-{Guid.NewGuid():N}.yaml"));
        try
        {
            Assert.False(await ReachableAsync(), "the pod must not be reachable before the route exists");

            var (exit, output) = await RoutesAsync(["--kubeconfig", kubeconfig]);
            Assert.Equal(0, exit);
            Assert.Contains("ip route replace 10.244.77.0/24 via 10.202.77.2", output, StringComparison.Ordinal);
            Assert.False(await ReachableAsync(), "printing must not change anything");

            (exit, _) = await RoutesAsync(["--kubeconfig", kubeconfig, "--apply", "--netns", Outside]);
            Assert.Equal(0, exit);
            Assert.True(await ReachableAsync(), "the pod is reachable once the route is applied");
            (exit, _) = await RoutesAsync(["--kubeconfig", kubeconfig, "--apply", "--netns", Outside]);
            Assert.Equal(0, exit);
            Assert.Single(IpCommand.Run("-n", Outside, "route", "show", "proto", "212").Split('\n', StringSplitOptions.RemoveEmptyEntries));

            api.Delete<V1Node>("node-1");
            (exit, output) = await RoutesAsync(["--kubeconfig", kubeconfig, "--apply", "--prune", "--netns", Outside]);
            Assert.Equal(0, exit);
            Assert.Contains("removed 10.244.77.0/24", output, StringComparison.Ordinal);
            Assert.False(await ReachableAsync(), "the route of a node that left is pruned");
            Assert.Contains("10.202.77.0/30", IpCommand.Run("-n", Outside, "route", "show"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pod is { HasExited: false })
        {
            _pod.Kill(entireProcessTree: true);
            await _pod.WaitForExitAsync();
        }

        _pod?.Dispose();
        foreach (var ns in _namespaces)
        {
            IpCommand.TryRun("netns", "del", ns);
        }
    }

    private async Task BuildNetworkAsync()
    {
        foreach (var ns in new[] { Outside, NodeNs, PodNs })
        {
            IpCommand.TryRun("netns", "del", ns);
            IpCommand.Run("netns", "add", ns);
            _namespaces.Add(ns);
            IpCommand.Run("-n", ns, "link", "set", "lo", "up");
        }

        // outside <-> node: the network between the host and the cluster's nodes.
        IpCommand.Run("link", "add", $"oh{_tag}o", "netns", Outside, "type", "veth", "peer", "name", $"oh{_tag}n", "netns", NodeNs);
        IpCommand.Run("-n", Outside, "addr", "add", "10.202.77.1/30", "dev", $"oh{_tag}o");
        IpCommand.Run("-n", NodeNs, "addr", "add", "10.202.77.2/30", "dev", $"oh{_tag}n");
        IpCommand.Run("-n", Outside, "link", "set", $"oh{_tag}o", "up");
        IpCommand.Run("-n", NodeNs, "link", "set", $"oh{_tag}n", "up");

        // node <-> pod: the node's pod CIDR, forwarded by the node.
        IpCommand.Run("link", "add", $"oh{_tag}c", "netns", NodeNs, "type", "veth", "peer", "name", $"oh{_tag}p", "netns", PodNs);
        IpCommand.Run("-n", NodeNs, "addr", "add", "10.244.77.1/24", "dev", $"oh{_tag}c");
        IpCommand.Run("-n", PodNs, "addr", "add", "10.244.77.2/24", "dev", $"oh{_tag}p");
        IpCommand.Run("-n", NodeNs, "link", "set", $"oh{_tag}c", "up");
        IpCommand.Run("-n", PodNs, "link", "set", $"oh{_tag}p", "up");
        IpCommand.Run("-n", PodNs, "route", "add", "default", "via", "10.244.77.1");
        IpCommand.Run("netns", "exec", NodeNs, "sysctl", "-qw", "net.ipv4.ip_forward=1");

        _pod = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", PodNs, "dotnet", Path.Combine(AppContext.BaseDirectory, "onehop.dll"), "pod", "--pod", "p=10.244.77.2:8080"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var line = await _pod.StandardOutput.ReadLineAsync(Cancel);
        Assert.StartsWith("pod p listening", line, StringComparison.Ordinal);
    }

    /// <summary>Whether a TCP connection from the outside host to the pod succeeds (bash's /dev/tcp).</summary>
    private static async Task<bool> ReachableAsync()
    {
        using var probe = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", Outside, "timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/10.244.77.2/8080"])
        {
            RedirectStandardError = true,
        })!;
        await probe.WaitForExitAsync(Cancel);
        return probe.ExitCode == 0;
    }

    private static async Task<(int Exit, string Output)> RoutesAsync(string[] args)
    {
        using var output = new StringWriter();
        var exit = await OneHopCommand.InvokeAsync(["routes", .. args], output, output);
        return (exit, output.ToString());
    }
}
