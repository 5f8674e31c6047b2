using System.Net;
using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Demo;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.L4;

/// <summary>
/// ingress-nginx's tcp-services ConfigMap read from the Kubernetes API (the API test server) end to end: its ports
/// opened on ingress.servicesAddress, carrying connections to the pods of the Services it names, following its edits,
/// and a value broken by an edit keeping its port on the last good target.
/// </summary>
public sealed class TcpServicesConfigMapTests(PodNamespaceFixture fixture) : IClassFixture<PodNamespaceFixture>
{
    private const int Port = 15533;
    private const int SecondPort = 15534;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tcp_services_configmap_from_the_api_opens_its_ports_follows_its_edits_and_keeps_a_broken_entry_on_its_last_good_target()
    {
        // The API refuses loopback endpoints: pods with private addresses in a network namespace, serving HTTP, which the TCP listener carries as bytes.
        var pods = await fixture.GetAsync(Cancel);
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        var address = LoopbackAddresses.Next();
        api.Create(KubeObjects.Service("web"));
        api.Create(KubeObjects.Slice("web", pods, ["web-1"]));
        api.Create(KubeObjects.Service("api"));
        api.Create(KubeObjects.Slice("api", pods, ["web-2"]));
        api.Create(Services(new() { [$"{Port}"] = "default/web:80" }));
        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, config: $"""
            ingress:
              tcpServicesConfigMap: ingress-nginx/tcp-services
              servicesAddress: {address}
            """);
        await BoundAsync(onehop, Port);
        Assert.Equal("web-1", await PodBehindAsync(address, Port));

        // Edited: the port goes to another Service, and a second port opens.
        api.Replace(Services(new() { [$"{Port}"] = "default/api:80", [$"{SecondPort}"] = "default/web:80" }));
        await BoundAsync(onehop, SecondPort);
        await OneHopInstance.EventuallyAsync(async () => await PodBehindAsync(address, Port) == "web-2", TimeSpan.FromSeconds(10), "the port to follow the edit", Cancel);
        Assert.Equal("web-1", await PodBehindAsync(address, SecondPort));

        // Broken by an edit: reported, and the port keeps carrying connections to its last good target.
        api.Replace(Services(new() { [$"{Port}"] = "default/api", [$"{SecondPort}"] = "default/web:80" }));
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.Admin.GetStringAsync("/api/status", Cancel)).Contains("the port keeps its last good target, default/api:80", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            "the broken entry to be reported",
            Cancel);
        Assert.Equal("web-2", await PodBehindAsync(address, Port));

        // The entry removed: its port closes.
        api.Replace(Services(new() { [$"{SecondPort}"] = "default/web:80" }));
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(!onehop.Server.L4.EndPoints.ContainsKey($"ingress-nginx/tcp-services/{Port}")),
            TimeSpan.FromSeconds(10),
            "the removed entry's port to close",
            Cancel);
        Assert.Equal("web-1", await PodBehindAsync(address, SecondPort));
    }

    private static V1ConfigMap Services(Dictionary<string, string> data) => new()
    {
        Metadata = new V1ObjectMeta { Name = "tcp-services", NamespaceProperty = "ingress-nginx" },
        Data = data,
    };

    private static Task BoundAsync(OneHopInstance onehop, int port) =>
        OneHopInstance.EventuallyAsync(
            () => Task.FromResult(onehop.Server.L4.EndPoints.ContainsKey($"ingress-nginx/tcp-services/{port}")),
            TimeSpan.FromSeconds(10),
            $"port {port} to be bound",
            Cancel);

    /// <summary>The pod that answers an HTTP request carried as bytes through the TCP port (a new connection each time).</summary>
    private static async Task<string?> PodBehindAsync(string address, int port)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        using var response = await http.GetAsync(new Uri($"http://{address}:{port}/"), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues(DemoPod.PodHeader).Single();
    }
}
