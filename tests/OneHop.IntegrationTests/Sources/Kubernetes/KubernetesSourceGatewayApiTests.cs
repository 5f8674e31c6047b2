using k8s;
using k8s.Models;
using KubeApiTestServer;
using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Concurrency;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.GatewayObjects;

namespace OneHop.IntegrationTests.Sources.Kubernetes;

/// <summary>
/// The Kubernetes source and the Gateway API custom resources, against the API test server: listed and watched like
/// every other kind and, while their CRDs are not installed, synced and empty, reported once, and picked up when the
/// CRDs arrive. The source runs on a fake clock, so a missing kind is looked for again exactly when the test says.
/// </summary>
public sealed class KubernetesSourceGatewayApiTests
{
    /// <summary>Unlike every backoff (at most 30 s) and watchdog (over 5 min), so its timers can be told apart.</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(45);

    private static readonly DateTimeOffset Epoch = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly ObjectKey Web = new("shop", "web");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Routes_created_updated_and_deleted_through_the_api_follow_in_the_source_state()
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        using var client = api.CreateClient();
        await using var source = Run(client, new TimerWatchingTime(Epoch));
        await source.UntilAsync(s => s.Synced, "the first sync");

        await client.CustomObjects.CreateClusterCustomObjectAsync<GatewayClass>(Class("onehop"), Group, "v1", "gatewayclasses", cancellationToken: Cancel);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync<Gateway>(Gateway("edge", "infra"), Group, "v1", "infra", "gateways", cancellationToken: Cancel);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync<ReferenceGrant>(Grant("let-shop", "backends"), Group, "v1beta1", "backends", "referencegrants", cancellationToken: Cancel);
        var route = await client.CustomObjects.CreateNamespacedCustomObjectAsync<HttpRoute>(Route("web", "shop.example.com", "web", "shop"), Group, "v1", "shop", "httproutes", cancellationToken: Cancel);
        // Each kind has a watch of its own, so their events arrive in any order: wait for all four.
        var created = await source.UntilAsync(
            s => s.State.HttpRoutes.ContainsKey(Web) && s.State.ReferenceGrants.Count == 1 && s.State.GatewayClasses.Count == 1 && s.State.Gateways.Count == 1,
            "every Gateway API object");

        Assert.Equal(GatewayApiNames.ControllerName, created.State.GatewayClasses[new ObjectKey("", "onehop")].Spec.ControllerName);
        Assert.Equal(80, created.State.Gateways[new ObjectKey("infra", "edge")].Spec.Listeners![0].Port);
        Assert.Equal("Service", created.State.ReferenceGrants[new ObjectKey("backends", "let-shop")].Spec.To![0].Kind);
        Assert.Equal(["shop.example.com"], created.State.HttpRoutes[Web].Spec.Hostnames);
        Assert.DoesNotContain(created.Kinds, k => k.NotInstalled);

        route.Spec.Hostnames = ["www.shop.example.com"];
        await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<HttpRoute>(route, Group, "v1", "shop", "httproutes", "web", cancellationToken: Cancel);
        await source.UntilAsync(s => s.State.HttpRoutes.TryGetValue(Web, out var r) && r.Spec.Hostnames is ["www.shop.example.com"], "the updated route");

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync<V1Status>(Group, "v1", "shop", "httproutes", "web", cancellationToken: Cancel);
        var deleted = await source.UntilAsync(s => s.State.HttpRoutes.IsEmpty, "the route to go");
        Assert.Single(deleted.State.Gateways);
    }

    [Fact]
    public async Task Without_the_crds_the_source_syncs_reports_them_once_and_picks_them_up_once_installed()
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        using var client = api.CreateClient();
        api.Create(KubeObjects.Service("web"));
        api.Create(KubeObjects.Ingress("site", "shop.example.com", "web"));
        api.Create(Route("web", "shop.example.com", "web", "shop"));
        foreach (var kind in KubeApiServer.GatewayApiKinds)
        {
            api.Uninstall(kind);
        }

        var time = new TimerWatchingTime(Epoch);
        await using var source = Run(client, time);
        var synced = await source.UntilAsync(s => s.Synced, "the first sync");

        Assert.Contains(new ObjectKey("default", "web"), synced.State.Services.Keys);
        Assert.Contains(new ObjectKey("default", "site"), synced.State.Ingresses.Keys);
        Assert.Empty(synced.State.HttpRoutes);
        Assert.Equal(["BackendTLSPolicy", "GRPCRoute", "Gateway", "GatewayClass", "HTTPRoute", "ListenerSet", "ReferenceGrant", "TCPRoute", "TLSRoute", "UDPRoute"], synced.Kinds.Where(k => k.NotInstalled).Select(k => k.Kind).Order(StringComparer.Ordinal));
        Assert.All(synced.Kinds, k => Assert.Null(k.LastError));
        var notInstalled = Assert.Single(synced.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Info, DiagnosticCodes.KindNotInstalled), (notInstalled.Severity, notInstalled.Code));
        Assert.All(["GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "TCPRoute", "UDPRoute", "TLSRoute", "BackendTLSPolicy", "ListenerSet"], kind => Assert.Contains(kind, notInstalled.Message, StringComparison.Ordinal));

        // Still absent when looked for again: asked once more, still reported once.
        // One retry timer per absent kind, each set again after its look.
        var kinds = KubeApiServer.GatewayApiKinds.Count;
        await time.WaitForTimersAsync(Retry, kinds);
        time.Advance(Retry);
        await time.WaitForTimersAsync(Retry, 2 * kinds);
        Assert.Equal(2, api.Requests.Count(r => r.Path == "/apis/gateway.networking.k8s.io/v1/httproutes" && !r.IsWatch));
        Assert.Equal([notInstalled], source.Current.Diagnostics);

        foreach (var kind in KubeApiServer.GatewayApiKinds)
        {
            api.Install(kind);
        }

        time.Advance(Retry);
        var installed = await source.UntilAsync(s => !s.Kinds.Any(k => k.NotInstalled), "every Gateway API kind to be listed");
        Assert.Contains(Web, installed.State.HttpRoutes.Keys);
        Assert.Empty(installed.Diagnostics);

        await client.CustomObjects.CreateNamespacedCustomObjectAsync<HttpRoute>(Route("api", "api.example.com", "web", "shop"), Group, "v1", "shop", "httproutes", cancellationToken: Cancel);
        await source.UntilAsync(s => s.State.HttpRoutes.ContainsKey(new ObjectKey("shop", "api")), "a route created once the kind is watched");
    }

    private static RunningSource Run(IKubernetes client, TimeProvider time) => new(new KubernetesSource(
        client,
        KubernetesSourceOptions.Default with { Informers = new InformerOptions { ForbiddenRetry = Retry } },
        time,
        SharedRandomSource.Instance,
        NullLoggerFactory.Instance));
}
