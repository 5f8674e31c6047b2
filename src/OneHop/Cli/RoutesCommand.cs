using System.CommandLine;
using k8s;
using k8s.Models;
using OneHop.Core.Reachability;
using OneHop.Core.Sources.Kubernetes;

namespace OneHop.Cli;

/// <summary>
/// <c>onehop routes</c>: for a host outside the cluster whose network does not learn pod addresses by BGP (Calico,
/// Cilium, kube-router can announce them), the static routes that make every pod IP reachable: each node's pod
/// CIDR via the node. Prints them; <c>--apply</c> installs them (root), <c>--prune</c> removes OneHop's routes of
/// nodes that left.
/// </summary>
internal static class RoutesCommand
{
    public static Command Create()
    {
        var kubeconfig = CliOptions.Kubeconfig("Read the cluster's Nodes");
        var context = CliOptions.Context();
        var inCluster = CliOptions.InCluster("Read the cluster's Nodes");
        var apply = new Option<bool>("--apply") { Description = "Install the routes with `ip route replace` (root; idempotent)." };
        var prune = new Option<bool>("--prune") { Description = "With --apply: also remove routes OneHop added for nodes that are gone." };
        var netns = new Option<string?>("--netns") { Description = "Apply inside this network namespace (ip -n NAME).", HelpName = "NAME" };
        var format = new Option<RouteFormat>("--format")
        {
            Description = "How to print the routes: ip (iproute2 commands), bird (BIRD 2 static protocols to include from bird.conf) or frr (FRR static routes, tagged 212, for frr.conf); a router daemon then announces them by BGP.",
            DefaultValueFactory = _ => RouteFormat.Ip,
            HelpName = "ip|bird|frr",
        };
        var command = new Command("routes", "Print (or --apply) the routes a host outside the cluster needs to reach pod IPs: each node's pod CIDR via the node.")
        {
            kubeconfig, context, inCluster, apply, prune, netns, format,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var (client, problem) = KubernetesConnection.Connect(result.GetValue(kubeconfig)?.FullName, result.GetValue(context), result.GetValue(inCluster));
            if (client is null)
            {
                error.WriteLine($"onehop routes: {problem}");
                return 1;
            }

            var nodes = new List<V1Node>();
            try
            {
                string? next = null;
                do
                {
                    var page = await client.CoreV1.ListNodeAsync(continueParameter: next, limit: 500, cancellationToken: cancellationToken);
                    nodes.AddRange(page.Items);
                    next = string.IsNullOrEmpty(page.Metadata?.ContinueProperty) ? null : page.Metadata.ContinueProperty;
                }
                while (next is not null);
            }
            catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                error.WriteLine($"onehop routes: cannot list nodes: {ex.Message} (OneHop needs get/list on nodes)");
                return 1;
            }

            var (routes, skipped) = PodRoutes.From(nodes);
            foreach (var note in skipped)
            {
                output.WriteLine($"# skipped {note}");
            }

            foreach (var line in RouteFormatter.Format(routes, result.GetValue(format)))
            {
                output.WriteLine(line);
            }

            if (!result.GetValue(apply))
            {
                return 0;
            }

            try
            {
                var writer = new RouteTableWriter(result.GetValue(netns));
                foreach (var route in routes)
                {
                    writer.Apply(route);
                }

                if (result.GetValue(prune))
                {
                    foreach (var removed in writer.Prune(routes))
                    {
                        output.WriteLine($"# removed {removed} (its node is gone)");
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                error.WriteLine($"onehop routes: {ex.Message}");
                return 1;
            }

            output.WriteLine($"# applied {routes.Count} routes");
            return 0;
        });
        return command;
    }
}
