using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 6.3: the Ingress paths, hosts and backends a real API server refuses.</summary>
public sealed class IngressValidationTests
{
    [Theory]
    [InlineData("Prefix", "/a//b", "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'")]
    [InlineData("Exact", "/a/./b", "spec.rules[0].http.paths[0].path: Invalid value: \"/a/./b\": must not contain '/./'")]
    [InlineData("Prefix", "/a/../b", "spec.rules[0].http.paths[0].path: Invalid value: \"/a/../b\": must not contain '/../'")]
    [InlineData("Prefix", "/a%2fb", "spec.rules[0].http.paths[0].path: Invalid value: \"/a%2fb\": must not contain '%2f'")]
    [InlineData("Prefix", "/a%2Fb", "spec.rules[0].http.paths[0].path: Invalid value: \"/a%2Fb\": must not contain '%2F'")]
    [InlineData("Exact", "/a/..", "spec.rules[0].http.paths[0].path: Invalid value: \"/a/..\": cannot end with '/..'")]
    [InlineData("Exact", "/a/.", "spec.rules[0].http.paths[0].path: Invalid value: \"/a/.\": cannot end with '/.'")]
    [InlineData("Prefix", "api", "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path")]
    [InlineData("ImplementationSpecific", "api", "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path")]
    [InlineData("Regex", "/", "spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"")]
    [InlineData(null, "/", "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified")]
    public async Task Invalid_paths_are_422(string? pathType, string path, string error)
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var ingress = Sample.Ingress("web");
        ingress.Spec.Rules[0].Http.Paths[0].PathType = pathType;
        ingress.Spec.Rules[0].Http.Paths[0].Path = path;

        var thrown = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.NetworkingV1.CreateNamespacedIngressAsync(ingress, "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(422, (int)thrown.Response.StatusCode);
        Assert.Equal($"Ingress.networking.k8s.io \"web\" is invalid: {error}", KubernetesJson.Deserialize<V1Status>(thrown.Response.Content).Message);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.*.example.com")]
    [InlineData("10.0.0.1")]
    [InlineData("Upper.example.com")]
    public async Task Invalid_hosts_are_422(string host)
    {
        await using var server = await TestServer.StartAsync();

        var error = Assert.Throws<KubeApiException>(() => server.Create(Sample.Ingress("web", host: host)));

        Assert.Equal(422, error.Code);
        Assert.Contains($"spec.rules[0].host: Invalid value: \"{host}\"", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Valid_paths_hosts_and_backends_are_accepted()
    {
        await using var server = await TestServer.StartAsync();
        var ingress = Sample.Ingress("web", host: "*.b.example.com");
        ingress.Spec.Rules[0].Http.Paths.Add(new V1HTTPIngressPath
        {
            Path = "/api/v1/",
            PathType = "Exact",
            Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "api", Port = new V1ServiceBackendPort { Name = "http" } } },
        });
        ingress.Spec.Rules[0].Http.Paths.Add(new V1HTTPIngressPath { PathType = "ImplementationSpecific", Backend = ingress.Spec.Rules[0].Http.Paths[0].Backend });

        var created = server.Create(ingress);

        Assert.Equal(3, created.Spec.Rules[0].Http.Paths.Count);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Backends_need_a_service_with_exactly_one_port_form()
    {
        await using var server = await TestServer.StartAsync();
        var noPort = Sample.Ingress("a");
        noPort.Spec.Rules[0].Http.Paths[0].Backend.Service.Port = new V1ServiceBackendPort();
        var noBackend = Sample.Ingress("b");
        noBackend.Spec.Rules[0].Http.Paths[0].Backend = new V1IngressBackend();

        var portError = Assert.Throws<KubeApiException>(() => server.Create(noPort));
        var backendError = Assert.Throws<KubeApiException>(() => server.Create(noBackend));

        Assert.EndsWith("spec.rules[0].http.paths[0].backend: Required value: port name or number is required", portError.Message, StringComparison.Ordinal);
        Assert.EndsWith("spec.rules[0].http.paths[0].backend: Invalid value: \"\": resource or service backend is required", backendError.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
