using System.Text.Json;
using k8s.Models;
using KubeApiTestServer;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Cli;

/// <summary><c>onehop migrate</c> from a directory and from a cluster: the per-annotation report, the summary, the exit code, --json.</summary>
public sealed class MigrateCommandTests : IDisposable
{
    private const string Served = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: rewrite
          namespace: default
          annotations:
            nginx.ingress.kubernetes.io/use-regex: "true"
            nginx.ingress.kubernetes.io/rewrite-target: /$2
        spec:
          ingressClassName: nginx
          rules:
          - host: rewrite.bar.com
            http:
              paths:
              - {path: /something(/|$)(.*), pathType: ImplementationSpecific, backend: {service: {name: http-svc, port: {number: 80}}}}
        """;

    private const string Snippet = """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: snippet
          namespace: shop
          annotations:
            nginx.ingress.kubernetes.io/configuration-snippet: 'more_set_headers "X-Shop: 1";'
            nginx.ingress.kubernetes.io/ssl-redirect: "false"
        spec:
          ingressClassName: nginx
          rules:
          - host: shop.example.com
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("onehop-migrate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Ingresses_onehop_fully_serves_pass_with_exit_code_0()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "rewrite.yaml"), Served, TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--manifests", _dir], output, output);

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("Ingress default/rewrite (document 1 of rewrite.yaml", text, StringComparison.Ordinal);
        Assert.Contains("  honoured    rewrite-target: the path the pod gets", text, StringComparison.Ordinal);
        Assert.Contains("  difference  use-regex: ", text, StringComparison.Ordinal);
        Assert.Contains("1 Ingresses, 1 fully served; annotations: 1 honoured, 1 honoured with a difference, 0 unsupported, 0 unknown, 0 with a bad value.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_annotation_is_named_with_why_and_fails_the_run()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "all.yaml"), Served + "\n" + Snippet, TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--manifests", _dir], output, output);

        Assert.Equal(1, exit);
        var text = output.ToString();
        Assert.Contains("Ingress shop/snippet (document 2 of all.yaml", text, StringComparison.Ordinal);
        Assert.Contains("NOT fully served", text, StringComparison.Ordinal);
        Assert.Contains("  UNSUPPORTED configuration-snippet: never executed", text, StringComparison.Ordinal);
        Assert.Contains("2 Ingresses, 1 fully served", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_gives_tools_the_same_report()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "all.yaml"), Served + "\n" + Snippet, TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--manifests", _dir, "--json"], output, output);

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output.ToString());
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("ingresses").GetInt32());
        Assert.Equal(1, summary.GetProperty("unsupported").GetInt32());
        var snippet = json.RootElement.GetProperty("ingresses").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "snippet");
        Assert.Contains(snippet.GetProperty("annotations").EnumerateArray(), a => a.GetProperty("status").GetString() == "Unsupported"
            && a.GetProperty("annotation").GetString() == "nginx.ingress.kubernetes.io/configuration-snippet");
    }

    [Fact]
    public async Task The_cluster_ingresses_are_read_through_the_kubeconfig()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: cancel);
        api.Create(new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = new V1ObjectMeta { Name = "legacy", NamespaceProperty = "default", Annotations = new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/service-upstream"] = "true" } },
            Spec = new V1IngressSpec { DefaultBackend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Number = 80 } } } },
        });
        var kubeconfig = api.WriteKubeConfig(Path.Combine(_dir, "kubeconfig.yaml"));
        using var output = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--kubeconfig", kubeconfig], output, output);

        Assert.Equal(1, exit);
        Assert.Contains("Ingress default/legacy (kubernetes)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("  UNSUPPORTED service-upstream: refused", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_controller_configmap_s_keys_are_assessed_too()
    {
        var cancel = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(Path.Combine(_dir, "rewrite.yaml"), Served, cancel);
        await File.WriteAllTextAsync(Path.Combine(_dir, "controller.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
            data:
              ssl-redirect: "false"
              proxy-body-size: 8m
              worker-processes: "4"
              hsts-max-age: soon
              made-up-key: "1"
            """, cancel);
        using var output = new StringWriter();

        var exit = await OneHopCommand.InvokeAsync(["migrate", "--manifests", _dir, "--nginx-configmap", "ingress-nginx/ingress-nginx-controller"], output, output);
        using var json = new StringWriter();
        await OneHopCommand.InvokeAsync(["migrate", "--manifests", _dir, "--nginx-configmap", "ingress-nginx/ingress-nginx-controller", "--json"], json, json);
        using var missing = new StringWriter();
        var missingExit = await OneHopCommand.InvokeAsync(["migrate", "--manifests", _dir, "--nginx-configmap", "ingress-nginx/other"], missing, missing);

        // The Ingress is fully served; the ConfigMap's nginx-only and bad keys fail the run, each with why.
        Assert.Equal(1, exit);
        var text = output.ToString();
        Assert.Contains("Ingress default/rewrite (document 1 of rewrite.yaml", text, StringComparison.Ordinal);
        Assert.Contains("ConfigMap ingress-nginx/ingress-nginx-controller (the controller's): NOT fully served", text, StringComparison.Ordinal);
        Assert.Contains("  honoured    ssl-redirect: ", text, StringComparison.Ordinal);
        Assert.Contains("  difference  proxy-body-size: ", text, StringComparison.Ordinal);
        Assert.Contains("  UNSUPPORTED worker-processes: ", text, StringComparison.Ordinal);
        Assert.Contains("  INVALID     hsts-max-age: ", text, StringComparison.Ordinal);
        Assert.Contains("  UNKNOWN     made-up-key: ", text, StringComparison.Ordinal);
        Assert.Contains("ConfigMap keys: 1 honoured, 1 honoured with a difference, 1 unsupported, 1 unknown, 1 with a bad value.", text, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(json.ToString());
        var keys = report.RootElement.GetProperty("controller").GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!, k => k.GetProperty("status").GetString());
        Assert.Equal("Unsupported", keys["worker-processes"]);
        Assert.Equal("Invalid", keys["hsts-max-age"]);
        Assert.Equal(1, missingExit);
        Assert.Contains("ConfigMap ingress-nginx/other (the controller's): NOT FOUND", missing.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_or_both_sources_is_a_usage_error()
    {
        using var output = new StringWriter();
        Assert.Equal(2, await OneHopCommand.InvokeAsync(["migrate"], output, output));
        Assert.Contains("give either --manifests DIR or --kubeconfig PATH", output.ToString(), StringComparison.Ordinal);
    }
}
