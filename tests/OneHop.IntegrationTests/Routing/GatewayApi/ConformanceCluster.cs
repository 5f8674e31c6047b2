using System.Net;
using System.Reflection;
using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// One conformance test's cluster in the API test server, for the cases that change objects and read the status the
/// controller writes (the suite's Patch, GatewayMustHaveLatestConditions, GatewayStatusMustHaveListeners): OneHop's
/// GatewayClass, the suite's base, the suite's certificate Secrets and the test's manifest, watched by a OneHop that
/// leads and writes their status, with the Gateways' ports bound on a loopback address of its own. The API server refuses
/// EndpointSlices of loopback addresses, as Kubernetes does, so the echo pods are not listed: requests reach no pod
/// (503), which still tells whether a route is served (a 404 says none is).
/// </summary>
internal sealed class ConformanceCluster : IAsyncDisposable
{
    private static readonly MethodInfo Create = typeof(KubeApiServer).GetMethod(nameof(KubeApiServer.Create))!;

    private OneHopInstance? _onehop;

    private ConformanceCluster(KubeApiServer api, TestCertificates ca, string address)
    {
        Api = api;
        Ca = ca;
        Address = address;
    }

    public KubeApiServer Api { get; }

    /// <summary>The CA of the suite's certificate Secrets, for HTTPS clients.</summary>
    public TestCertificates Ca { get; }

    /// <summary>Where the Gateways' ports are served (<c>--gateway-address</c>).</summary>
    public string Address { get; }

    public OneHopInstance OneHop => _onehop ?? throw new InvalidOperationException("not started");

    public static Task<ConformanceCluster> StartAsync(string manifest, CancellationToken cancellationToken) =>
        StartAsync(manifest, ConformanceGateway.Data(manifest), cancellationToken);

    /// <summary>The suite's base and certificates, then a test's objects <paramref name="yaml"/> (written by the test, named <paramref name="file"/>).</summary>
    public static async Task<ConformanceCluster> StartAsync(string file, string yaml, CancellationToken cancellationToken)
    {
        var cluster = new ConformanceCluster(await KubeApiServer.StartNewAsync(cancellationToken: cancellationToken), new TestCertificates("Conformance Server CA"), LoopbackAddresses.Next());
        try
        {
            cluster.Apply("gatewayclass.yaml", ConformanceGateway.Data("gatewayclass.yaml"));
            cluster.Apply("base.yaml", ConformanceGateway.Data("base.yaml"));
            cluster.Apply("suite-secrets.yaml", SuiteSecretsGateway.SecretsYaml(cluster.Ca));
            cluster.Apply(file, yaml);
            cluster._onehop = await OneHopInstance.StartAsync(
                cluster.Api.CreateClient(),
                cancellationToken,
                publishing: new StatusPublishingOptions(["203.0.113.20"], null, "default", "onehop-leader", "only")
                {
                    LeaseDuration = TimeSpan.FromSeconds(3),
                    RenewDeadline = TimeSpan.FromSeconds(2),
                    RetryPeriod = TimeSpan.FromMilliseconds(300),
                },
                configure: o => o with { GatewayAddresses = [IPAddress.Parse(cluster.Address)] });
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates every object of a manifest in the API server, as the suite's applier does.</summary>
    public void Apply(string file, string yaml)
    {
        var parsed = ManifestParser.Parse(file, yaml);
        Assert.Empty(parsed.Diagnostics);
        foreach (var item in parsed.Objects)
        {
            Create.MakeGenericMethod(item.Object.GetType()).Invoke(Api, [item.Object]);
        }
    }

    /// <summary>The stored Gateway of the infra namespace.</summary>
    public Gateway Gateway(string name) => Api.Get<Gateway>(name, EchoBackends.Infra) ?? throw new InvalidOperationException($"no Gateway {name}");

    /// <summary>Replaces the Gateway with <paramref name="change"/> applied (the suite's Patch); returns its new generation.</summary>
    public long Change(string name, Action<Gateway> change)
    {
        var gateway = Gateway(name);
        change(gateway);
        gateway.Metadata.ResourceVersion = null;
        return Api.Replace(gateway).Metadata.Generation ?? 0;
    }

    /// <summary>
    /// Waits (10 s at most) until the Gateway's conditions are all of its latest generation (the suite's
    /// GatewayMustHaveLatestConditions) and <paramref name="holds"/> of its status.
    /// </summary>
    public Task GatewayStatusAsync(string name, string what, Func<GatewayStatus, bool> holds) =>
        OneHopInstance.EventuallyAsync(
            () => Task.FromResult(Api.Get<Gateway>(name, EchoBackends.Infra) is { Status: { Conditions.Count: > 0 } status } g
                && status.Conditions!.All(c => c.ObservedGeneration == g.Metadata.Generation) && holds(status)),
            TimeSpan.FromSeconds(10),
            $"Gateway {name}: conditions of its latest generation and {what}",
            TestTimeouts.Token());

    /// <summary>
    /// True when the listeners are exactly <paramref name="names"/>, each supporting HTTPRoute, with
    /// <paramref name="attachedRoutes"/> routes, <c>Accepted=True</c> and <c>ResolvedRefs=True</c> (the suite's listenersMatch).
    /// </summary>
    public static bool ListenersReady(GatewayStatus status, int attachedRoutes, params string[] names) =>
        status.Listeners is { } listeners && listeners.Count == names.Length
        && names.All(n => listeners.SingleOrDefault(l => l.Name == n) is { } l
            && l.AttachedRoutes == attachedRoutes
            && l.SupportedKinds.Any(k => k.Kind == "HTTPRoute" && (k.Group ?? GatewayApiNames.Group) == GatewayApiNames.Group)
            && Is(l.Conditions, "Accepted", "True") && Is(l.Conditions, "ResolvedRefs", "True"));

    /// <summary>True when <paramref name="conditions"/> hold one of <paramref name="type"/> with <paramref name="status"/>.</summary>
    public static bool Is(IEnumerable<V1Condition>? conditions, string type, string status) =>
        (conditions ?? []).Any(c => c.Type == type && c.Status == status);

    /// <summary>Waits (10 s at most) until <paramref name="request"/> to <paramref name="port"/> is answered <paramref name="status"/>.</summary>
    public Task ExpectStatusAsync(ConformanceRequest request, int status, int port = 80) =>
        OneHopInstance.EventuallyAsync(
            async () => (await TrySendAsync(request, port))?.Status == status,
            TimeSpan.FromSeconds(10),
            $"{request} on port {port} to be answered {status}",
            TestTimeouts.Token());

    /// <summary>OneHop's answer; null while the port is not bound yet (the Gateway's listener is bound once OneHop sees it).</summary>
    public async Task<GatewayResponse?> TrySendAsync(ConformanceRequest request, int port = 80)
    {
        try
        {
            return await request.SendAsync(OneHop.Proxy, Address, port, TestTimeouts.Token());
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_onehop is not null)
        {
            await _onehop.DisposeAsync();
        }

        await Api.DisposeAsync();
        Ca.Dispose();
    }
}
