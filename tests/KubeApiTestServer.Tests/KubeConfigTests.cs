using k8s;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>The kubeconfig helper: files KubernetesClient's loader accepts.</summary>
public sealed class KubeConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kubeapi-test-").FullName;

    [Fact]
    public async Task Kubeconfig_without_a_token_reaches_the_server()
    {
        await using var server = await TestServer.StartAsync();
        server.Create(Sample.Node("node-a"));
        var path = server.WriteKubeConfig(Path.Combine(_directory, "config"));

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        using var client = new Kubernetes(config);
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: TestTimeouts.Token());

        Assert.Equal(server.BaseUri.ToString().TrimEnd('/'), config.Host.TrimEnd('/'));
        Assert.Equal("onehop-test", config.CurrentContext);
        Assert.Equal("node-a", Assert.Single(nodes.Items).Metadata.Name);
    }

    [Fact]
    public async Task Kubeconfig_with_a_token_context_and_namespace_authenticates()
    {
        await using var server = await TestServer.StartAsync(token: "tok-123");
        var path = KubeConfigFile.Write(Path.Combine(_directory, "config"), server.BaseUri, "tok-123", "my-context", "onehop");

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: "my-context");
        using var client = new Kubernetes(config);
        var leases = await client.CoordinationV1.ListNamespacedLeaseAsync(config.Namespace, cancellationToken: TestTimeouts.Token());

        Assert.Equal("tok-123", config.AccessToken);
        Assert.Equal("onehop", config.Namespace);
        Assert.Empty(leases.Items);
        Assert.Contains(server.Requests, r => r.Path == "/apis/coordination.k8s.io/v1/namespaces/onehop/leases");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
