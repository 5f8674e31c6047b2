using k8s.Models;
using KubeApiTestServer;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Cli;

/// <summary>
/// <c>onehop migrate --to gateway-api</c>: the objects written under --out pass <c>onehop validate</c>; what does not map
/// is on stderr and in the YAML, with exit code 1; Ingresses from the cluster get their named ports from its Services.
/// </summary>
public sealed class MigrateToGatewayApiTests : IDisposable
{
    private const string GatewayClass = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: nginx}
        spec: {controllerName: onehop.dev/gateway-controller}

        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("onehop-migrate-gateway-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_files_written_under_out_pass_validate()
    {
        var cancel = TestContext.Current.CancellationToken;
        var input = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        var output = Path.Combine(_dir, "out");
        var service = Yaml.Service("web", 8080, new Yaml.Endpoint("10.0.0.1", "web-0"));
        await File.WriteAllTextAsync(Path.Combine(input, "site.yaml"), service + Yaml.Ingress("site", ("a.example.com", "/", "Prefix", "web"), ("a.example.com", "/exact", "Exact", "web")), cancel);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--manifests", input, "--to", "gateway-api", "--out", output], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Contains("2 objects written to", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(["gateway-default-nginx.yaml", "httproute-default-site-a-example-com.yaml"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        await File.WriteAllTextAsync(Path.Combine(output, "cluster.yaml"), GatewayClass + service, cancel);
        using var validated = new StringWriter();
        Assert.Equal(0, await OneHopCommand.InvokeAsync(["validate", "--manifests", output], validated, validated));
        Assert.Contains("2 routes, 1 backends, 1 endpoints; 0 errors", validated.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_does_not_map_goes_to_stderr_and_the_yaml_and_fails_the_run()
    {
        var limited = Yaml.TlsIngress("limited", "b.example.com", "b-tls", "web", new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/limit-rps"] = "5" });
        await File.WriteAllTextAsync(Path.Combine(_dir, "limited.yaml"), limited, TestContext.Current.CancellationToken);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--manifests", _dir, "--to", "gateway-api", "--gateway-class", "onehop"], stdout, stderr);

        Assert.Equal(1, exit);
        const string Note = "Ingress default/limited: metadata.annotations[nginx.ingress.kubernetes.io/limit-rps]: not mapped: Gateway API has no rate or connection limits";
        Assert.Contains($"onehop migrate: document 1 of limited.yaml (line 2): {Note}", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains($"# {Note}\n", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("gatewayClassName: onehop\n", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("name: b-example-com-https\n", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("name: limited-b-example-com-https-redirect\n", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_ingresses_get_their_named_ports_from_the_cluster_s_services()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: cancel);
        api.Create(new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 8081 }] },
        });
        api.Create(new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "shop" },
            Spec = new V1IngressSpec { IngressClassName = "nginx", DefaultBackend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Name = "http" } } } },
        });
        var kubeconfig = api.WriteKubeConfig(Path.Combine(_dir, "kubeconfig.yaml"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--kubeconfig", kubeconfig, "--to", "gateway-api"], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Contains("  name: shop-default-backend\n  namespace: shop\n", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("        - name: web\n          port: 8081\n", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gateway_options_without_to_are_a_usage_error()
    {
        using var output = new StringWriter();
        Assert.Equal(2, await OneHopCommand.InvokeAsync(["migrate", "--manifests", _dir, "--out", Path.Combine(_dir, "out")], output, output));
        Assert.Contains("--out, --gateway-class and --gateway-name go with --to gateway-api.", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// From the cluster, the controller ConfigMap, the ConfigMap its add-headers names and an Ingress's custom-headers are
    /// read by name: their headers are written on the route, and the controller's keys noted on stderr.
    /// </summary>
    [Fact]
    public async Task Cluster_configmaps_named_by_the_controller_and_the_ingress_become_header_modifiers()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: cancel);
        V1ConfigMap Map(string ns, string name, Dictionary<string, string> data) => new() { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = data };
        api.Create(Map("ingress-nginx", "controller", new() { ["add-headers"] = "ingress-nginx/added", ["global-allowed-response-headers"] = "X-Shop" }));
        api.Create(Map("ingress-nginx", "added", new() { ["X-Frame-Options"] = "DENY" }));
        api.Create(Map("shop", "custom", new() { ["X-Shop"] = "one" }));
        api.Create(new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "shop", Annotations = new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/custom-headers"] = "shop/custom" } },
            Spec = new V1IngressSpec
            {
                IngressClassName = "nginx",
                Rules = [new V1IngressRule { Host = "shop.example.com", Http = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Number = 80 } } } }] } }],
            },
        });
        var kubeconfig = api.WriteKubeConfig(Path.Combine(_dir, "kubeconfig.yaml"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--kubeconfig", kubeconfig, "--to", "gateway-api", "--nginx-configmap", "ingress-nginx/controller"], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Contains("            set:\n              - name: X-Frame-Options\n                value: DENY\n              - name: X-Shop\n                value: one\n", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("# ConfigMap ingress-nginx/controller: data[add-headers]: difference:", stdout.ToString(), StringComparison.Ordinal);
    }
}
