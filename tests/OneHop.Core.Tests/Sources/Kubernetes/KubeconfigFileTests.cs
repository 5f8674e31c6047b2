using System.Text;
using System.Text.Json;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Sources.Kubernetes;

public sealed class KubeconfigFileTests : IDisposable
{
    // Every field KubernetesClient reads when it builds a client, in the shapes kubectl writes (block and flow,
    // quoted and plain scalars).
    private const string Full = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: prod
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: Y2E=
            tls-server-name: api.example
        - name: dev
          cluster: {server: "http://127.0.0.1:8080", certificate-authority: ca.crt, insecure-skip-tls-verify: true}
        contexts:
        - name: dev
          context: {cluster: dev, user: alice, namespace: edge}
        - name: prod
          context:
            cluster: prod
            user: robot
        users:
        - name: alice
          user:
            client-certificate: alice.crt
            client-key: alice.key
            as: bob
            as-groups: [ops, "dev"]
            as-user-extra: {team: edge}
        - name: robot
          user:
            token: "12345"
            username: r
            password: p
            client-certificate-data: Y2VydA==
            client-key-data: a2V5
            auth-provider: {name: oidc, config: {client-id: onehop}}
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: get-token
              args: [--cluster, prod]
              env: [{name: REGION, value: eu}]
              installHint: install get-token
              provideClusterInfo: true
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(Full)]
    [InlineData("apiVersion: v1\nkind: Config\n")]
    [InlineData("clusters: [{name: c, cluster: {server: 'http://h:1'}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n")]
    [InlineData("clusters:\n- name: a\n  cluster: &base {server: 'https://h:1', insecure-skip-tls-verify: true}\n- name: b\n  cluster: {<<: *base, server: 'https://h:2'}\n")]
    public void A_kubeconfig_reads_as_KubernetesClient_reads_it(string yaml)
    {
        var expected = KubernetesClientConfiguration.LoadKubeConfig(new MemoryStream(Encoding.UTF8.GetBytes(yaml)));

        var actual = KubeconfigFile.Parse(yaml);

        Assert.Equal(Comparable(expected), Comparable(actual));
    }

    [Fact]
    public void The_client_built_from_it_has_the_contexts_server_user_and_namespace()
    {
        var file = _dir.Write("config", Full);

        var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(KubeconfigFile.Read(file));

        Assert.Equal("http://127.0.0.1:8080", config.Host);
        Assert.Equal("edge", config.Namespace);
        Assert.True(config.SkipTlsVerify);
        Assert.Equal(Path.Combine(_dir.Path, "alice.crt"), config.ClientCertificateFilePath);
        Assert.Equal("alice.key", Path.GetFileName(config.ClientKeyFilePath));
    }

    [Fact]
    public void Extensions_and_preferences_are_accepted_and_not_read()
    {
        var config = KubeconfigFile.Parse("""
            preferences: {colors: true}
            extensions: [{name: x, extension: {a: [1, 2]}}]
            clusters: [{name: c, cluster: {server: "http://h:1", extensions: [{name: y, extension: z}]}}]
            """);

        Assert.Equal("http://h:1", Assert.Single(config.Clusters).ClusterEndpoint.Server);
    }

    [Theory]
    [InlineData("clusters: {name: c}", "clusters: expected a list")]
    [InlineData("clusters: [{name: c, cluster: [a]}]", "clusters[0].cluster: expected a mapping")]
    [InlineData("users: [{name: u, user: {token: [a]}}]", "users[0].user.token: expected a string")]
    [InlineData("clusters: [{name: c, cluster: {insecure-skip-tls-verify: maybe}}]", "clusters[0].cluster.insecure-skip-tls-verify: expected true or false, not \"maybe\"")]
    [InlineData("- a\n- b", "the document: expected a mapping")]
    public void A_field_of_the_wrong_shape_is_named(string yaml, string message)
    {
        var ex = Assert.Throws<KubeConfigException>(() => KubeconfigFile.Parse(yaml));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void The_user_that_runs_an_exec_plugin_is_found_through_the_context()
    {
        var config = KubeconfigFile.Parse(Full);

        Assert.Null(KubeconfigFile.PluginUser(config, null));
        Assert.Equal("robot", KubeconfigFile.PluginUser(config, "prod"));
        Assert.Null(KubeconfigFile.PluginUser(config, "missing"));
    }

    [Fact]
    public void An_empty_file_has_no_clusters()
    {
        Assert.Empty(KubeconfigFile.Parse(string.Empty).Clusters);
    }

    // The fields a client is built from, as reflection JSON (this test runs on the JIT build); the dynamic
    // extensions are left out, as KubeconfigFile does not read them.
    private static string Comparable(K8SConfiguration config)
    {
        config.Extensions = null;
        config.Preferences = null;
        foreach (var cluster in config.Clusters)
        {
            cluster.ClusterEndpoint?.Extensions = null;
        }

        foreach (var context in config.Contexts)
        {
            context.Extensions = null;
            context.ContextDetails?.Extensions = null;
        }

        foreach (var user in config.Users)
        {
            user.UserCredentials?.Extensions = null;
        }

        return JsonSerializer.Serialize(config);
    }
}
