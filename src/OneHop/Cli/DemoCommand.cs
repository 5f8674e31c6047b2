using System.CommandLine;
using OneHop.Core.Configuration;
using OneHop.Core.Demo;
using OneHop.Core.Sources.Config;
using OneHop.Hosting;

namespace OneHop.Cli;

/// <summary>
/// <c>onehop demo</c>: real pods on 127.0.0.x, a manifest directory describing them, and OneHop routing to them.
/// No cluster needed. Edit the manifests while it runs and watch routing change.
/// </summary>
internal static class DemoCommand
{
    private const string DefaultHttp = "127.0.0.1:8080";
    private const string DefaultAdmin = "127.0.0.1:9901";

    public static Command Create()
    {
        var http = CliOptions.Http($"Listen for HTTP on ADDR:PORT (repeatable). [default: {DefaultHttp}, or a free port on 127.0.0.1 when 8080 is taken]");
        var admin = CliOptions.Admin($"{DefaultAdmin}, or a free port on 127.0.0.1 when 9901 is taken");
        var directory = new Option<DirectoryInfo?>("--dir")
        {
            Description = "Where to write the demo manifests and config (default: a new temporary directory, removed on exit).",
            HelpName = "DIR",
        };
        var logLevel = CliOptions.LogLevel();
        var command = new Command("demo", "Start demo pods on 127.0.0.x and OneHop in front of them; no cluster needed.")
        {
            http, admin, directory, logLevel,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var chosenDirectory = result.GetValue(directory)?.FullName;
            var root = chosenDirectory ?? Path.Combine(Path.GetTempPath(), $"onehop-demo-{Environment.ProcessId}");
            var manifests = Path.Combine(root, "manifests");
            var configPath = Path.Combine(root, DemoManifests.ConfigFileName);
            await using var cluster = await DemoCluster.StartAsync(8080, cancellationToken);
            DemoManifests.Write(manifests, configPath, cluster);

            var httpAddresses = result.GetValue(http) is { Length: > 0 } given ? given : [FreeOrFallback(DefaultHttp)];
            var adminAddress = result.GetValue(admin) ?? FreeOrFallback(DefaultAdmin);
            var options = new ServerOptions
            {
                ManifestDirectory = manifests,
                ConfigFile = configPath,
                Config = ConfigLoader.LoadFile(configPath).Config ?? OneHopConfig.Default,
                Http = [.. httpAddresses],
                Admin = adminAddress,
                LogLevel = result.GetValue(logLevel),
            };
            try
            {
                PrintTour(output, cluster, httpAddresses[0], adminAddress, root, manifests);
                return await RunCommand.ServeAsync(options, output, result.InvocationConfiguration.Error, cancellationToken);
            }
            finally
            {
                if (chosenDirectory is null)
                {
                    Directory.Delete(root, recursive: true);
                }
            }
        });
        return command;
    }

    /// <summary>The default address, or the same address on a free port when something else already uses it.</summary>
    private static ListenAddress FreeOrFallback(string text)
    {
        var address = ListenAddress.Parse(text);
        try
        {
            using var probe = new System.Net.Sockets.TcpListener(address.EndPoint);
            probe.Start();
            return address;
        }
        catch (System.Net.Sockets.SocketException)
        {
            using var probe = new System.Net.Sockets.TcpListener(address.Address, 0);
            probe.Start();
            return address with { Port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port };
        }
    }

    private static void PrintTour(TextWriter output, DemoCluster cluster, ListenAddress http, ListenAddress admin, string root, string manifests)
    {
        var url = $"http://{http}";
        output.WriteLine($"""

            OneHop demo: real pods on loopback addresses, described by manifests in {manifests}

              pods:
            {string.Join("\n", cluster.Pods.Select(p => $"    {p.Options.Name,-9} {p.Endpoint,-18} node {p.Options.Node}, {p.Options.Zone}"))}
                {cluster.Legacy.Options.Name,-9} {cluster.Legacy.Endpoint,-18} (a server outside Kubernetes, from {Path.Combine(root, DemoManifests.ConfigFileName)})

              proxy: {url}
              admin: http://{admin}   (the dashboard at /, /api/topology  /api/routes  /api/status  /metrics  /readyz)

            Try:
              curl {url}/                                   # a web pod answers, straight from OneHop
              while sleep 0.5; do curl -s {url}/ | head -1; done   # requests spread over web-1..3, until Ctrl+C
              curl {url}/api/hello                          # the api pods
              curl {url}/legacy/                            # the legacy server from the config file
              curl -s http://{admin}/api/routes             # the live routing snapshot

            Change routing live (no restart): edit {Path.Combine(manifests, "web.yaml")} and save:
              - set `ready: false` on web-2: the loop above (left running) stops reaching it;
              - delete an endpoint, or add one; break the YAML: the error shows in /api/status and routing stays as it was.

            Ctrl+C stops the demo.

            """);
    }
}
