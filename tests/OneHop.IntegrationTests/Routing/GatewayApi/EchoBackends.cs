using System.Text;
using OneHop.IntegrationTests.Routing.GatewayApi;

[assembly: AssemblyFixture(typeof(EchoBackends))]

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// The conformance suite's HTTP echo backends (conformance/base/manifests.yaml) as <see cref="EchoPod"/>s, one per
/// replica, shared by every Gateway API test class: started on first use, stopped when the test run ends. Their
/// EndpointSlices stand in for the ones Kubernetes would write for the base's Deployments.
/// </summary>
public sealed class EchoBackends : IAsyncDisposable
{
    public const string Infra = "gateway-conformance-infra";
    public const string AppBackend = "gateway-conformance-app-backend";
    public const string WebBackend = "gateway-conformance-web-backend";

    public const string InfraV1 = "infra-backend-v1";
    public const string InfraV2 = "infra-backend-v2";
    public const string InfraV3 = "infra-backend-v3";

    /// <summary>The Service port of appProtocol <c>kubernetes.io/h2c</c> in the base: the pods' h2c port.</summary>
    private const string H2cPortName = "second-port";

    /// <summary>Each Deployment of the base: namespace, name (its Service's), replicas, and its Service's port names.</summary>
    private static readonly (string Namespace, string Service, int Replicas, string[] Ports)[] Deployments =
    [
        (Infra, InfraV1, 2, ["first-port", "second-port", "third-port"]),
        (Infra, InfraV2, 2, [string.Empty]),
        (Infra, InfraV3, 1, [string.Empty]),
        (AppBackend, "app-backend-v1", 2, [string.Empty]),
        (AppBackend, "app-backend-v2", 2, [string.Empty]),
        (WebBackend, "web-backend", 2, [string.Empty]),
    ];

    private readonly SemaphoreSlim _lock = new(1, 1);
    private List<EchoPod>? _pods;

    /// <summary>The namespace of a backend's Deployment and Service.</summary>
    public static string NamespaceOf(string service) => Deployments.Single(d => d.Service == service).Namespace;

    /// <summary>The pods, started on first use; and EndpointSlices listing them under their Services.</summary>
    internal async Task<string> SlicesAsync(CancellationToken cancellationToken)
    {
        var pods = await StartAsync(cancellationToken);
        var yaml = new StringBuilder();
        foreach (var (ns, service, _, ports) in Deployments)
        {
            var mine = pods.Where(p => p.Namespace == ns && p.Name.StartsWith(service + "-", StringComparison.Ordinal)).ToList();
            yaml.Append($"""
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: {service}-echo
                  namespace: {ns}
                  labels:
                    kubernetes.io/service-name: {service}
                addressType: IPv4
                ports: [{string.Join(", ", ports.Select(p => $"{{name: \"{p}\", port: {(p == H2cPortName ? mine[0].H2cPort : mine[0].Port)}}}"))}]
                endpoints:
                {string.Join("\n", mine.Select(p => $"  - {{addresses: [\"{p.Address}\"], conditions: {{ready: true}}, targetRef: {{kind: Pod, name: {p.Name}}}}}"))}

                """);
        }

        return yaml.ToString();
    }

    /// <summary>The pod named <paramref name="name"/> (e.g. <c>infra-backend-v3-0</c>), started on first use.</summary>
    internal async Task<EchoPod> PodAsync(string name, CancellationToken cancellationToken) =>
        (await StartAsync(cancellationToken)).Single(p => p.Name == name);

    /// <summary>How many requests of <paramref name="target"/> the pods of <paramref name="service"/> echoed, together (the suite's DumpEchoLogs over a Deployment).</summary>
    internal async Task<int> EchoedAsync(string service, string target, CancellationToken cancellationToken) =>
        (await StartAsync(cancellationToken)).Where(p => ServiceOf(p.Name) == service).Sum(p => p.Echoed(target));

    /// <summary>The Service (the Deployment) whose pod is <paramref name="pod"/>.</summary>
    internal static string ServiceOf(string pod) => Deployments.Single(d => pod.StartsWith(d.Service + "-", StringComparison.Ordinal)).Service;

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in _pods ?? [])
        {
            await pod.DisposeAsync();
        }

        _lock.Dispose();
    }

    private async Task<List<EchoPod>> StartAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_pods is not null)
            {
                return _pods;
            }

            var pods = new List<EchoPod>();
            try
            {
                foreach (var (ns, service, replicas, _) in Deployments)
                {
                    // All replicas of a Deployment on one port, as a pod template gives them.
                    for (var i = 0; i < replicas; i++)
                    {
                        pods.Add(await EchoPod.StartAsync($"{service}-{i}", ns, i == 0 ? 0 : pods[^1].Port, i == 0 ? 0 : pods[^1].H2cPort, cancellationToken));
                    }
                }
            }
            catch
            {
                foreach (var pod in pods)
                {
                    await pod.DisposeAsync();
                }

                throw;
            }

            return _pods = pods;
        }
        finally
        {
            _lock.Release();
        }
    }
}
