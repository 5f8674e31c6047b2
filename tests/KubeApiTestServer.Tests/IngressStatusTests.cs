using k8s;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 5: the Ingress <c>/status</c> subresource.</summary>
public sealed class IngressStatusTests
{
    private static readonly V1IngressStatus Published = new()
    {
        LoadBalancer = new V1IngressLoadBalancerStatus
        {
            Ingress = [new V1IngressLoadBalancerIngress { Ip = "203.0.113.10", Ports = [new V1IngressPortStatus { Port = 443, Protocol = "TCP" }] }],
        },
    };

    [Fact]
    public async Task Create_clears_status()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var ingress = Sample.Ingress("web");
        ingress.Status = Published;

        var created = await client.NetworkingV1.CreateNamespacedIngressAsync(ingress, "prod", cancellationToken: TestTimeouts.Token());

        Assert.Null(created.Status?.LoadBalancer?.Ingress);
    }

    [Fact]
    public async Task Status_replace_keeps_spec_and_generation_and_emits_one_modified_event()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = await client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("web"), "prod", cancellationToken: TestTimeouts.Token());
        await using var watch = new WatchCollector<V1Ingress>((onError, ct) =>
            client.NetworkingV1.WatchListNamespacedIngressAsync("prod", resourceVersion: created.Metadata.ResourceVersion, onError: onError, cancellationToken: ct));

        created.Spec.Rules[0].Host = "changed.example.com";
        created.Status = Published;
        var updated = await client.NetworkingV1.ReplaceNamespacedIngressStatusAsync(created, "web", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal("a.example.com", updated.Spec.Rules[0].Host);
        Assert.Equal("203.0.113.10", updated.Status.LoadBalancer.Ingress[0].Ip);
        Assert.Equal(443, updated.Status.LoadBalancer.Ingress[0].Ports[0].Port);
        Assert.Equal(1, updated.Metadata.Generation);
        var modified = await watch.NextAsync();
        Assert.Equal(WatchEventType.Modified, modified.Type);
        Assert.Equal(updated.Metadata.ResourceVersion, modified.Object.Metadata.ResourceVersion);
        Assert.Equal("203.0.113.10", modified.Object.Status.LoadBalancer.Ingress[0].Ip);
    }

    [Fact]
    public async Task Main_replace_keeps_status()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = await client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("web"), "prod", cancellationToken: TestTimeouts.Token());
        created.Status = Published;
        var withStatus = await client.NetworkingV1.ReplaceNamespacedIngressStatusAsync(created, "web", "prod", cancellationToken: TestTimeouts.Token());

        withStatus.Status = null;
        withStatus.Spec.Rules[0].Host = "b.example.com";
        var replaced = await client.NetworkingV1.ReplaceNamespacedIngressAsync(withStatus, "web", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal("b.example.com", replaced.Spec.Rules[0].Host);
        Assert.Equal("203.0.113.10", replaced.Status.LoadBalancer.Ingress[0].Ip);
        Assert.Equal(2, replaced.Metadata.Generation);
    }

    [Fact]
    public async Task Status_replace_with_a_stale_resource_version_is_409_and_of_a_missing_ingress_404()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = await client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("web"), "prod", cancellationToken: TestTimeouts.Token());
        server.Replace(Sample.Ingress("web", host: "z.example.com"));
        created.Status = Published;

        var stale = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            client.NetworkingV1.ReplaceNamespacedIngressStatusAsync(created, "web", "prod", cancellationToken: TestTimeouts.Token()));
        var missing = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            client.NetworkingV1.ReplaceNamespacedIngressStatusAsync(Sample.Ingress("nope"), "nope", "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(409, (int)stale.Response.StatusCode);
        Assert.Equal(404, (int)missing.Response.StatusCode);
    }

    [Fact]
    public async Task Service_status_subresource_behaves_the_same()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var svc = server.Create(Sample.Service("web"));
        svc.Spec.Ports[0].Port = 99;
        svc.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "198.51.100.1" }] } };

        var updated = await client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "web", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal(80, updated.Spec.Ports[0].Port);
        Assert.Equal("198.51.100.1", updated.Status.LoadBalancer.Ingress[0].Ip);
    }
}
