using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.Sources.Manifests;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// What the TLSRoute facts share: a OneHop serving the suite's class, namespaces and a test's manifests at
/// <c>--gateway-address</c>es of the test's own, the translator's status on the same files, and a wait for an L4 listener.
/// </summary>
internal static class TlsRouteOneHop
{
    public static Task<OneHopInstance> StartAsync(IReadOnlyList<IPAddress> addresses, IReadOnlyDictionary<string, string> manifests, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, string>
        {
            ["gatewayclass.yaml"] = ConformanceGateway.Data("gatewayclass.yaml"),
            ["namespace.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {EchoBackends.Infra}}}\n",
        };
        foreach (var (name, text) in manifests)
        {
            all[name] = text;
        }

        return OneHopInstance.StartAsync(all, cancellationToken, configure: o => o with { GatewayAddresses = [.. addresses] });
    }

    /// <summary>What OneHop concludes about the Gateway API objects of the manifest directory it serves (the translator's, on the same files).</summary>
    public static GatewayApiStatus Status(OneHopInstance onehop)
    {
        var source = new ManifestDirectorySource(Path.Combine(onehop.Directory, "manifests"), new ManifestSourceOptions(), TimeProvider.System, NullLogger<ManifestDirectorySource>.Instance);
        source.Rescan();
        return Translator.Translate(TranslatorInput.Of(source.Current.State)).GatewayStatus;
    }

    public static Task BoundAsync(OneHopInstance onehop, string name, CancellationToken cancellationToken) =>
        OneHopInstance.EventuallyAsync(() => Task.FromResult(onehop.Server.L4.EndPoints.ContainsKey(name)), TimeSpan.FromSeconds(10), $"{name} to be bound", cancellationToken);

    /// <summary>
    /// The suite's Gateway <paramref name="name"/> of the infra namespace with its listener <c>https</c>: TLS Passthrough
    /// on port 443 for <c>*.example.com</c>, TLSRoutes of its namespace; after a document separator.
    /// </summary>
    public static string PassthroughGateway(string name) => $$"""

        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}, namespace: {{EchoBackends.Infra}}}
        spec:
          gatewayClassName: onehop
          listeners:
          - name: https
            port: 443
            protocol: TLS
            hostname: "*.example.com"
            allowedRoutes: {namespaces: {from: Same}, kinds: [{kind: TLSRoute}]}
            tls: {mode: Passthrough}
        """;

    /// <summary>The parent status of <paramref name="route"/> for its one Gateway.</summary>
    public static RouteParentStatusReport Parent(GatewayApiStatus status, string route) =>
        Assert.Single(Assert.Single(status.Routes, r => r.Ref.Name == route).Parents);
}
