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

    [Theory]
    [InlineData("clusters: [{name: c, cluster: [server]}]", @"^kubeconfig FILE: clusters\[0\]\.cluster: expected a mapping$")]
    [InlineData("clusters: [{name: c, cluster: {server: 'http://h:1'}}]\ncontexts: []\n", "^kubeconfig FILE: .+")]
    [InlineData("clusters: [{name: c\n", "^cannot read kubeconfig FILE: .+")]
    public void A_kubeconfig_that_cannot_be_used_is_named_with_the_reason(string yaml, string pattern)
    {
        var file = _dir.Write("bad.yaml", yaml);

        var (client, error) = KubernetesConnection.Connect(file, null, inCluster: false);

        Assert.Null(client);
        Assert.Matches(pattern.Replace("FILE", System.Text.RegularExpressions.Regex.Escape(file), StringComparison.Ordinal), error);
    }
}
