using k8s.Models;
using KubeApiTestServer;
using OneHop.Cli;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Deploy;

/// <summary>
/// The BGP examples of docs/ha.md (topology 3) and <c>onehop routes --format bird|frr</c> checked by the real daemons'
/// own config parsers, Debian 12's BIRD 2 (<c>bird -p</c>) and FRR 8 (<c>vtysh --dryrun</c>), so a line the daemon
/// refuses cannot ship.
/// </summary>
public sealed class RouterConfigTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("onehop-router-config-");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bird_parses_the_example_and_the_routes_command_output()
    {
        Assert.SkipUnless(ExternalTool.Exists("bird"), "bird is not installed (apt-get install -y bird2; see .ci/run)");
        await AssertBirdAcceptsAsync(Path.Combine(RepositoryRoot.Path, "deploy/ha/bird.conf"));

        var routes = await RoutesAsync("bird");
        Assert.Contains("route 10.244.1.0/24 via 10.0.0.11; # node-1", routes, StringComparison.Ordinal);
        Assert.Contains("route fd00:10:244:2::/64 via fd00::12; # node-2", routes, StringComparison.Ordinal);

        // As the example's commented include would read it: the example with the routes file included.
        var included = Path.Combine(_work.FullName, "onehop-pods.conf");
        await File.WriteAllTextAsync(included, routes, Cancel);
        var example = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy/ha/bird.conf"), Cancel);
        const string Include = "# include \"/etc/bird/onehop-pods.conf\";";
        Assert.Contains(Include, example, StringComparison.Ordinal);
        var config = Path.Combine(_work.FullName, "bird.conf");
        await File.WriteAllTextAsync(config, example.Replace(Include, $"include \"{included}\";", StringComparison.Ordinal), Cancel);
        await AssertBirdAcceptsAsync(config);

        // The check is real: BIRD refuses a route with a bad next hop.
        await File.WriteAllTextAsync(included, routes.Replace("via 10.0.0.11", "via node-1", StringComparison.Ordinal), Cancel);
        var (code, _, error) = await ExternalTool.RunAsync("bird", ["-p", "-c", config], null, Cancel);
        Assert.NotEqual(0, code);
        Assert.Contains("syntax error", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frr_parses_the_example_and_the_routes_command_output()
    {
        Assert.SkipUnless(ExternalTool.Exists("vtysh"), "FRR is not installed (apt-get install -y frr; see .ci/run)");
        await AssertFrrAcceptsAsync(Path.Combine(RepositoryRoot.Path, "deploy/ha/frr.conf"));

        var routes = await RoutesAsync("frr");
        Assert.Contains("ip route 10.244.1.0/24 10.0.0.11 tag 212", routes, StringComparison.Ordinal);
        Assert.Contains("ipv6 route fd00:10:244:2::/64 fd00::12 tag 212", routes, StringComparison.Ordinal);

        // "paste below": the example with the printed lines appended.
        var example = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy/ha/frr.conf"), Cancel);
        var config = Path.Combine(_work.FullName, "frr.conf");
        await File.WriteAllTextAsync(config, example + routes, Cancel);
        await AssertFrrAcceptsAsync(config);

        // The check is real: vtysh refuses a line FRR does not know.
        await File.WriteAllTextAsync(config, example + routes.Replace("tag 212", "tag onehop", StringComparison.Ordinal), Cancel);
        var (code, output, error) = await ExternalTool.RunAsync("vtysh", ["--dryrun", "-f", config], null, Cancel);
        Assert.NotEqual(0, code);
        Assert.Contains("Unknown command", output + error, StringComparison.Ordinal);
    }

    public void Dispose() => _work.Delete(recursive: true);

    private static async Task AssertBirdAcceptsAsync(string config)
    {
        var (code, output, error) = await ExternalTool.RunAsync("bird", ["-p", "-c", config], null, Cancel);
        Assert.True(code == 0, $"bird -p -c {config} exited {code}: {output}{error}");
    }

    private static async Task AssertFrrAcceptsAsync(string config)
    {
        var (code, output, error) = await ExternalTool.RunAsync("vtysh", ["--dryrun", "-f", config], null, Cancel);
        Assert.True(code == 0, $"vtysh --dryrun -f {config} exited {code}: {output}{error}");
    }

    /// <summary><c>onehop routes --format</c> against the API test server with a dual-stack node and an IPv6 one.</summary>
    private static async Task<string> RoutesAsync(string format)
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(Node("node-1", ["10.244.1.0/24"], "10.0.0.11"));
        api.Create(Node("node-2", ["fd00:10:244:2::/64"], "fd00::12"));
        var kubeconfig = api.WriteKubeConfig(Path.Combine(Path.GetTempPath(), $"onehop-router-{Guid.NewGuid():N}.yaml"));
        try
        {
            using var output = new StringWriter();
            var exit = await OneHopCli.InvokeAsync(["routes", "--kubeconfig", kubeconfig, "--format", format], output, output);
            Assert.True(exit == 0, output.ToString());
            return output.ToString();
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static V1Node Node(string name, List<string> cidrs, string address) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NodeSpec { PodCIDRs = cidrs },
        Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = address }] },
    };
}
