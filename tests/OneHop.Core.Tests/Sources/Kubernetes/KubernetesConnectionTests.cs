using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Sources.Kubernetes;

public sealed class KubernetesConnectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_first_existing_file_of_KUBECONFIG_is_read_as_kubectl_does()
    {
        var second = _dir.Write("b.yaml", "apiVersion: v1\nkind: Config\n");
        var third = _dir.Write("c.yaml", "apiVersion: v1\nkind: Config\n");
        var missing = Path.Combine(_dir.Path, "a.yaml");

        var (path, _) = KubernetesConnection.KubeconfigPath(null, string.Join(Path.PathSeparator, missing, second, third));

        Assert.Equal(second, path);
    }

    [Fact]
    public void An_explicit_path_wins_and_a_missing_one_is_named()
    {
        var listed = _dir.Write("listed.yaml", "apiVersion: v1\nkind: Config\n");
        var given = Path.Combine(_dir.Path, "given.yaml");

        Assert.Equal((null, given), KubernetesConnection.KubeconfigPath(given, listed));
        var (_, tried) = KubernetesConnection.KubeconfigPath(null, Path.Combine(_dir.Path, "x.yaml"));
        Assert.Contains("none of $KUBECONFIG", tried, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_from_KUBECONFIG_reaches_its_server()
    {
        var file = _dir.Write("config.yaml", """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:6443"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: ctx, context: {cluster: c, user: u}}]
            current-context: ctx
            """);
        Environment.SetEnvironmentVariable("KUBECONFIG", file);
        try
        {
            var (client, error) = KubernetesConnection.Connect(null, null, inCluster: false);
            Assert.Null(error);
            Assert.Equal("http://127.0.0.1:6443/", client!.BaseUri.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", null);
        }
    }
}
