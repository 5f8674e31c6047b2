using System.Diagnostics;
using OneHop.Cli;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Cli;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onehop-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_good_directory_validates_with_exit_code_0()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "site.yaml"), Yaml.DefaultClass + Yaml.Service("web", 8080, new Yaml.Endpoint("10.0.0.1", "web-0")) + Yaml.Ingress("site", "/", "web"), TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["validate", "--manifests", _dir], output, output);

        Assert.Equal(0, exit);
        Assert.Contains("1 routes, 1 backends, 1 endpoints; 0 errors", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_directory_fails_with_file_object_and_field()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "site.yaml"), Yaml.DefaultClass + Yaml.Ingress("site", ("a.example.com", "/", "Prefx", "web")), TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["validate", "--manifests", _dir], output, output);

        Assert.Equal(1, exit);
        Assert.Contains(
            "error document 2 of site.yaml (line 10) Ingress default/site spec.rules[0].http.paths[0].pathType: 'Prefx' is not Exact, Prefix or ImplementationSpecific [InvalidPathType]",
            output.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_objects_are_reported_not_crashed_on()
    {
        // Null list items and durations too large for a TimeSpan once made validate die with an unhandled exception.
        await File.WriteAllTextAsync(Path.Combine(_dir, "hostile.yaml"), Yaml.DefaultClass + """
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: hostile
              annotations: {onehop.dev/timeout: "99999999999h", onehop.dev/hsts: null}
            spec:
              tls: [null]
              rules: [null, {host: a.example.com, http: {paths: [null]}}]
            """, TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["validate", "--manifests", _dir], output, output);

        Assert.Equal(1, exit);
        var text = output.ToString();
        Assert.Contains("Ingress default/hostile spec.rules[0]: a rule must be an object, not null [InvalidObject]", text, StringComparison.Ordinal);
        Assert.Contains("Ingress default/hostile spec.tls[0]: a tls entry must be an object, not null [InvalidObject]", text, StringComparison.Ordinal);
        Assert.Contains("metadata.annotations[onehop.dev/timeout]: '99999999999h' is not a positive duration", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_config_file_fails_validation()
    {
        var config = Path.Combine(_dir, "onehop.yaml");
        await File.WriteAllTextAsync(config, "listeners: [{address: nowhere}]\n", TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["validate", "--config", config], output, output);

        Assert.Equal(1, exit);
        Assert.Contains("listeners[0].address", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_refuses_to_start_on_a_bad_config_file()
    {
        var config = Path.Combine(_dir, "onehop.yaml");
        await File.WriteAllTextAsync(config, "upstreams: [{name: a}]\n", TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["run", "--config", config, "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0"], output, output);

        Assert.Equal(1, exit);
        Assert.Contains("upstreams[0].endpoints: an upstream needs at least one endpoint", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_onehop_binary_exits_non_zero_on_a_broken_directory()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "broken.yaml"), "apiVersion: v1\nkind: Service\nmetadata: [\n", TestContext.Current.CancellationToken);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "onehop.dll"), "validate", "--manifests", _dir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("broken.yaml", stdout, StringComparison.Ordinal);
        Assert.Contains("[ParseError]", stdout, StringComparison.Ordinal);
    }
}
