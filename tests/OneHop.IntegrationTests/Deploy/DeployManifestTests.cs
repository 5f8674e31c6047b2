using System.CommandLine;
using k8s.Models;
using OneHop.Cli;
using OneHop.Core.Configuration;
using OneHop.Core.State;

namespace OneHop.IntegrationTests.Deploy;

/// <summary>
/// deploy/ checked without an API server (none is reachable where the tests run): every object against
/// KubernetesClient's models of the API, strictly; the container args through OneHop's own command line; and the
/// ports, probes, Services, Pod Security levels and Secrets against each other.
/// </summary>
public sealed class DeployManifestTests
{
    private static readonly (IReadOnlyList<DeployObject> Models, IReadOnlyList<(string File, string Text)> Unmodelled) Loaded = DeployManifests.Load();

    private static IEnumerable<(DeployObject Object, V1PodTemplateSpec Template)> Workloads =>
        Loaded.Models.Select(o => (o, o.Model switch
        {
            V1Deployment d => d.Spec.Template,
            V1DaemonSet d => d.Spec.Template,
            _ => null,
        })).Where(w => w.Item2 is not null)!;

    [Fact]
    public void Every_file_loads_strictly_and_names_its_objects()
    {
        Assert.Contains(Loaded.Models, o => o.Model is V1Deployment && o.File == "deploy/deployment.yaml");
        Assert.Contains(Loaded.Models, o => o.Model is V1DaemonSet);
        Assert.Contains(Loaded.Models, o => o.Model is V1Deployment && o.File == "deploy/restricted/deployment.yaml");
        foreach (var o in Loaded.Models)
        {
            var metadata = ((IMetadata<V1ObjectMeta>)o.Model).Metadata;
            Assert.False(string.IsNullOrEmpty(metadata?.Name), $"{o.Where}: metadata.name");
            var namespaced = o.Model is not (V1Namespace or V1ClusterRole or V1ClusterRoleBinding or V1IngressClass or V1PriorityClass);
            Assert.True(namespaced == (metadata!.NamespaceProperty is not null), $"{o.Where}: metadata.namespace {(namespaced ? "missing" : "on a cluster-scoped kind")}");
        }
    }

    [Fact]
    public void The_strict_reading_refuses_unknown_and_missing_fields()
    {
        const string Pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
                - name: c
                  image: i
                  ports: [{PORT: 80}]
            """;
        Assert.Contains("PORT", Assert.Throws<InvalidDataException>(() => DeployManifests.Parse(Pod, "typo")).Message, StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidDataException>(() => DeployManifests.Parse(Pod.Replace("{PORT: 80}", "{name: web}", StringComparison.Ordinal), "missing"));
        Assert.True(missing.Message.Contains("spec.containers[0].ports[0].containerPort", StringComparison.Ordinal), missing.Message);
    }

    [Fact]
    public void Container_args_are_options_of_onehop_run_with_the_admin_API_on_loopback_and_the_affinity_key_mounted()
    {
        foreach (var (o, template) in Workloads)
        {
            var container = Assert.Single(template.Spec.Containers);
            var run = ParseRun(o, container);
            var admin = run.Value<ListenAddress?>("--admin");
            Assert.True(admin is { IsLoopback: true }, $"{o.Where}: --admin {admin} is not a loopback address");
            Assert.NotNull(run.Value<ListenAddress?>("--health"));

            var keyFile = run.Value<FileInfo?>("--affinity-key-file") ?? throw new Xunit.Sdk.XunitException($"{o.Where}: no --affinity-key-file: cookies would be signed with the public built-in key");
            var mount = Assert.Single(container.VolumeMounts, m => keyFile.FullName.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
            var secret = Assert.Single(template.Spec.Volumes, v => v.Name == mount.Name).Secret;
            Assert.True(secret is { SecretName: "onehop-affinity-key", Optional: not true }, $"{o.Where}: the affinity key is not the required Secret onehop-affinity-key");
        }
    }

    [Fact]
    public void Container_ports_probes_and_Services_agree_with_the_listeners_in_the_args()
    {
        foreach (var (o, template) in Workloads)
        {
            var container = template.Spec.Containers[0];
            var run = ParseRun(o, container);
            var listeners = new Dictionary<string, int>
            {
                ["http"] = Assert.Single(run.Value<ListenAddress[]>("--http")!).Port,
                ["https"] = Assert.Single(run.Value<ListenAddress[]>("--https")!).Port,
                ["health"] = run.Value<ListenAddress?>("--health")!.Value.Port,
            };
            Assert.Equal(listeners.OrderBy(l => l.Key), container.Ports.Select(p => KeyValuePair.Create(p.Name, p.ContainerPort)).OrderBy(p => p.Key));

            foreach (var (probe, path) in new[] { (container.ReadinessProbe, "/readyz"), (container.LivenessProbe, "/healthz") })
            {
                Assert.Equal(path, probe?.HttpGet?.Path);
                Assert.Equal(listeners["health"], Resolve(container, probe!.HttpGet.Port, o.Where));
            }

            var selecting = Loaded.Models.Select(s => s.Model).OfType<V1Service>()
                .Where(s => s.Metadata.NamespaceProperty == Namespace(o) && s.Spec.Selector.All(l => template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
            foreach (var port in selecting.SelectMany(s => s.Spec.Ports))
            {
                Assert.Contains(Resolve(container, port.TargetPort, o.Where), listeners.Values);
            }
        }

        var metrics = Assert.Single(Loaded.Models.Select(o => o.Model).OfType<V1Service>(), s => s.Metadata.Name == "onehop-metrics");
        Assert.Equal("health", Assert.Single(metrics.Spec.Ports).TargetPort.Value);
    }

    [Fact]
    public void The_ServiceMonitor_scrapes_the_metrics_Service()
    {
        var (file, text) = Assert.Single(Loaded.Unmodelled, u => u.Text.Contains("kind: ServiceMonitor", StringComparison.Ordinal));
        var monitor = ServiceMonitorShape.Parse(text);
        Assert.Equal(("monitoring.coreos.com/v1", "ServiceMonitor"), (monitor.ApiVersion, monitor.Kind));
        Assert.False(string.IsNullOrEmpty(monitor.Metadata.Name), file);
        var services = Loaded.Models.Select(o => o.Model).OfType<V1Service>()
            .Where(s => monitor.Spec.NamespaceSelector.MatchNames.Contains(s.Metadata.NamespaceProperty)
                && monitor.Spec.Selector.MatchLabels.All(l => s.Metadata.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value))
            .ToList();
        var service = Assert.Single(services);
        Assert.Equal("onehop-metrics", service.Metadata.Name);
        foreach (var endpoint in monitor.Spec.Endpoints)
        {
            Assert.Contains(endpoint.Port, service.Spec.Ports.Select(p => p.Name));
            Assert.Equal("/metrics", endpoint.Path);
        }
    }

    [Fact]
    public void Each_workload_fits_the_Pod_Security_level_of_its_namespace()
    {
        foreach (var (o, template) in Workloads)
        {
            var level = Assert.Single(Loaded.Models, n => n.Model is V1Namespace && n.Directory == o.Directory).Model is V1Namespace ns
                ? ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]
                : null;
            var spec = template.Spec;
            var container = spec.Containers[0];
            var needsPrivileged = spec.HostNetwork == true || spec.HostPID == true || spec.HostIPC == true || container.Ports.Any(p => p.HostPort is not null);
            Assert.Equal(needsPrivileged ? "privileged" : "restricted", level);
            if (level == "restricted")
            {
                Assert.True(spec.SecurityContext.RunAsNonRoot == true, $"{o.Where}: runAsNonRoot");
                Assert.Equal("RuntimeDefault", spec.SecurityContext.SeccompProfile.Type);
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation ?? true, $"{o.Where}: allowPrivilegeEscalation");
                Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
                Assert.All(spec.Volumes, v => Assert.True(v.EmptyDir is not null || v.Secret is not null || v.ConfigMap is not null || v.Projected is not null, $"{o.Where}: volume {v.Name}"));
            }
        }
    }

    [Fact]
    public void Pods_request_the_measured_memory_have_a_priority_a_disruption_budget_and_spread()
    {
        var priorityClasses = Loaded.Models.Select(o => o.Model).OfType<V1PriorityClass>().Select(p => p.Metadata.Name).ToList();
        var budget = Assert.Single(Loaded.Models.Select(o => o.Model).OfType<V1PodDisruptionBudget>());
        foreach (var (o, template) in Workloads)
        {
            // bench/RESULTS.md, propagation at 1,000 Services under churn: peak RSS 249-284 MiB.
            var memory = template.Spec.Containers[0].Resources.Requests["memory"].ToInt64();
            Assert.True(memory >= 284L * 1024 * 1024, $"{o.Where}: memory request {memory} below the measured peak RSS");
            Assert.Contains(template.Spec.PriorityClassName, priorityClasses);
            Assert.True(budget.Spec.Selector.MatchLabels.All(l => template.Metadata.Labels[l.Key] == l.Value), $"{o.Where}: not covered by the PodDisruptionBudget");
            if (o.Model is V1Deployment)
            {
                Assert.Contains(template.Spec.TopologySpreadConstraints ?? [], c => c.TopologyKey == "topology.kubernetes.io/zone");
            }
        }
    }

    [Fact]
    public void The_cluster_role_lets_every_kind_OneHop_reads_be_listed_and_watched()
    {
        // A kind missing here starts fine and then never syncs in a cluster (403 on list): the ConfigMaps of
        // tcp-services/udp-services were read for weeks without their rule.
        var role = (V1ClusterRole)Assert.Single(Loaded.Models, o => o.Model is V1ClusterRole && o.File == "deploy/rbac.yaml").Model;
        foreach (var kind in KindRegistry.All)
        {
            Assert.True(
                role.Rules.Any(r => r.ApiGroups.Contains(kind.Group) && r.Resources.Contains(kind.Plural) && r.Verbs.Contains("list") && r.Verbs.Contains("watch")),
                $"deploy/rbac.yaml: no list+watch on {kind.Plural} ({(kind.Group.Length == 0 ? "core" : kind.Group)})");
        }
    }

    [Fact]
    public void The_cluster_role_lets_the_leader_patch_the_readiness_gate_and_the_role_lets_it_list_the_routed_leases()
    {
        var role = (V1ClusterRole)Assert.Single(Loaded.Models, o => o.Model is V1ClusterRole && o.File == "deploy/rbac.yaml").Model;
        Assert.Contains(role.Rules, r => r.ApiGroups.Contains(string.Empty) && r.Resources.Contains("pods/status") && r.Verbs.Contains("patch"));
        var leases = (V1Role)Assert.Single(Loaded.Models, o => o.Model is V1Role && o.File == "deploy/rbac.yaml").Model;
        Assert.Contains(leases.Rules, r => r.Resources.Contains("leases") && new[] { "get", "list", "create", "update" }.All(r.Verbs.Contains));
    }

    private static string Namespace(DeployObject o) => ((IMetadata<V1ObjectMeta>)o.Model).Metadata.NamespaceProperty;

    /// <summary>A probe's or Service's port, by number or by the container port's name.</summary>
    private static int Resolve(V1Container container, IntOrString port, string where) =>
        int.TryParse(port.Value, out var number)
            ? number
            : container.Ports.SingleOrDefault(p => p.Name == port.Value)?.ContainerPort ?? throw new Xunit.Sdk.XunitException($"{where}: no container port named {port.Value}");

    /// <summary>The container's args through OneHop's own parser, $(VAR) filled from the container's env as the kubelet does.</summary>
    private static RunArgs ParseRun(DeployObject o, V1Container container)
    {
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value ?? (e.Name == "POD_IP" ? "10.1.2.3" : $"sample-{e.Name}"));
        var args = container.Args.Select(a => System.Text.RegularExpressions.Regex.Replace(a, @"\$\((\w+)\)", m => env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value)).ToArray();
        Assert.Equal("run", args[0]);
        var parsed = OneHopCli.Create().Parse(args);
        Assert.True(parsed.Errors.Count == 0, $"{o.Where}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        Assert.Empty(parsed.UnmatchedTokens);
        return new RunArgs(parsed);
    }

    private sealed record RunArgs(ParseResult Parsed)
    {
        public T? Value<T>(string name) => Parsed.CommandResult.Command.Options.OfType<Option<T>>().SingleOrDefault(p => p.Name == name) is { } option ? Parsed.GetValue(option) : default;
    }
}
