using System.Text.Json;
using k8s;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 1: every collection path, namespaced and across namespaces, through KubernetesClient.</summary>
public sealed class RoutingTests
{
    [Theory]
    [InlineData("/api/v1/namespaces/prod/services", "ServiceList", "v1")]
    [InlineData("/api/v1/services", "ServiceList", "v1")]
    [InlineData("/api/v1/namespaces/prod/secrets", "SecretList", "v1")]
    [InlineData("/api/v1/secrets", "SecretList", "v1")]
    [InlineData("/api/v1/nodes", "NodeList", "v1")]
    [InlineData("/apis/discovery.k8s.io/v1/namespaces/prod/endpointslices", "EndpointSliceList", "discovery.k8s.io/v1")]
    [InlineData("/apis/discovery.k8s.io/v1/endpointslices", "EndpointSliceList", "discovery.k8s.io/v1")]
    [InlineData("/apis/networking.k8s.io/v1/namespaces/prod/ingresses", "IngressList", "networking.k8s.io/v1")]
    [InlineData("/apis/networking.k8s.io/v1/ingresses", "IngressList", "networking.k8s.io/v1")]
    [InlineData("/apis/networking.k8s.io/v1/ingressclasses", "IngressClassList", "networking.k8s.io/v1")]
    [InlineData("/apis/coordination.k8s.io/v1/namespaces/onehop/leases", "LeaseList", "coordination.k8s.io/v1")]
    [InlineData("/apis/coordination.k8s.io/v1/leases", "LeaseList", "coordination.k8s.io/v1")]
    [InlineData("/apis/gateway.networking.k8s.io/v1/gatewayclasses", "GatewayClassList", "gateway.networking.k8s.io/v1")]
    [InlineData("/apis/gateway.networking.k8s.io/v1/namespaces/prod/gateways", "GatewayList", "gateway.networking.k8s.io/v1")]
    [InlineData("/apis/gateway.networking.k8s.io/v1/gateways", "GatewayList", "gateway.networking.k8s.io/v1")]
    [InlineData("/apis/gateway.networking.k8s.io/v1/namespaces/prod/httproutes", "HTTPRouteList", "gateway.networking.k8s.io/v1")]
    [InlineData("/apis/gateway.networking.k8s.io/v1/httproutes", "HTTPRouteList", "gateway.networking.k8s.io/v1")]
    [InlineData("/apis/gateway.networking.k8s.io/v1beta1/namespaces/prod/referencegrants", "ReferenceGrantList", "gateway.networking.k8s.io/v1beta1")]
    [InlineData("/apis/gateway.networking.k8s.io/v1beta1/referencegrants", "ReferenceGrantList", "gateway.networking.k8s.io/v1beta1")]
    public async Task Every_collection_path_lists_its_kind(string path, string listKind, string apiVersion)
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);

        var (code, body) = await RawHttp.GetJsonAsync(http, path);

        Assert.Equal(200, code);
        Assert.Equal(listKind, body.GetProperty("kind").GetString());
        Assert.Equal(apiVersion, body.GetProperty("apiVersion").GetString());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Every_kind_round_trips_through_the_typed_client()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var token = TestTimeouts.Token();

        await client.CoreV1.CreateNamespacedServiceAsync(Sample.Service("web"), "prod", cancellationToken: token);
        await client.CoreV1.CreateNamespacedSecretAsync(Sample.TlsSecret("a-tls"), "prod", cancellationToken: token);
        await client.CoreV1.CreateNodeAsync(Sample.Node("node-a"), cancellationToken: token);
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Sample.Slice("web-a"), "prod", cancellationToken: token);
        await client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("web"), "prod", cancellationToken: token);
        await client.NetworkingV1.CreateIngressClassAsync(Sample.IngressClass("onehop"), cancellationToken: token);
        await client.CoordinationV1.CreateNamespacedLeaseAsync(Sample.Lease("leader"), "onehop", cancellationToken: token);

        Assert.Single((await client.CoreV1.ListNamespacedServiceAsync("prod", cancellationToken: token)).Items);
        Assert.Single((await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: token)).Items);
        Assert.Equal("kubernetes.io/tls", (await client.CoreV1.ReadNamespacedSecretAsync("a-tls", "prod", cancellationToken: token)).Type);
        Assert.Single((await client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: token)).Items);
        Assert.Single((await client.CoreV1.ListNodeAsync(cancellationToken: token)).Items);
        Assert.Equal("node-a", (await client.CoreV1.ReadNodeAsync("node-a", cancellationToken: token)).Metadata.Name);
        Assert.Single((await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: token)).Items);
        Assert.Equal(8080, (await client.DiscoveryV1.ReadNamespacedEndpointSliceAsync("web-a", "prod", cancellationToken: token)).Ports[0].Port);
        Assert.Single((await client.NetworkingV1.ListIngressForAllNamespacesAsync(cancellationToken: token)).Items);
        Assert.Equal("onehop", (await client.NetworkingV1.ReadNamespacedIngressAsync("web", "prod", cancellationToken: token)).Spec.IngressClassName);
        Assert.Single((await client.NetworkingV1.ListIngressClassAsync(cancellationToken: token)).Items);
        Assert.Equal("example.com/onehop", (await client.NetworkingV1.ReadIngressClassAsync("onehop", cancellationToken: token)).Spec.Controller);
        Assert.Single((await client.CoordinationV1.ListLeaseForAllNamespacesAsync(cancellationToken: token)).Items);
        Assert.Equal("lb-0", (await client.CoordinationV1.ReadNamespacedLeaseAsync("leader", "onehop", cancellationToken: token)).Spec.HolderIdentity);
        await client.NetworkingV1.DeleteIngressClassAsync("onehop", cancellationToken: token);
        await client.CoreV1.DeleteNodeAsync("node-a", cancellationToken: token);
        Assert.Empty(server.List<V1Node>());
    }

    [Fact]
    public async Task Version_and_health_endpoints_answer()
    {
        await using var server = await TestServer.StartAsync(token: "t");
        using var client = server.CreateClient();
        using var http = RawHttp.Client(server);

        var version = await client.Version.GetCodeAsync(TestTimeouts.Token());
        var health = await http.GetStringAsync("/healthz", TestTimeouts.Token());

        Assert.Equal("1", version.Major);
        Assert.Equal("ok", health);
    }
}
