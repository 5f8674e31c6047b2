using System.Net;
using System.Net.Sockets;
using OneHop.Cli;

namespace OneHop.IntegrationTests.Cli;

public sealed class RunCommandTests
{
    [Fact]
    public async Task A_health_address_that_is_not_addr_port_is_refused_in_one_line_naming_it()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["run", "--manifests", Path.GetTempPath(), "--health", "nowhere", "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0"], output, errors);

        Assert.NotEqual(0, exit);
        var message = errors.ToString().Trim();
        Assert.Contains("nowhere", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public async Task A_gateway_address_that_is_not_an_ip_is_refused_with_its_value()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["run", "--manifests", Path.GetTempPath(), "--gateway-address", "gw.example", "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0"], output, errors);

        Assert.NotEqual(0, exit);
        Assert.Contains("'gw.example' is not an IP address", errors.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--readiness-gate", "soon", "--readiness-gate soon is not a duration")]
    [InlineData("--otlp-endpoint", "collector:4318", "--otlp-endpoint collector:4318 is not an http:// or https:// URL")]
    [InlineData("--trace-sample-ratio", "1.5", "--trace-sample-ratio must be between 0 and 1")]
    [InlineData("--access-log-format", "xml", "xml")]
    [InlineData("--pod-series-retention", "soon", "--pod-series-retention soon is not a duration")]
    [InlineData("--transport", "iouring", "iouring")]
    public async Task A_bad_value_of_an_observability_gate_or_transport_option_is_refused_naming_it(string option, string value, string expected)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["run", "--manifests", Path.GetTempPath(), option, value, "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0"], output, errors);

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_that_says_how_to_find_its_holder()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["run", "--manifests", Path.GetTempPath(), "--http", $"127.0.0.1:{port}", "--admin", "127.0.0.1:0", "--log-level", "Warning"], output, errors);

        Assert.Equal(1, exit);
        var error = Assert.Single(errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"cannot listen: Failed to bind to address http://127.0.0.1:{port}: address already in use", error, StringComparison.Ordinal);
        Assert.Contains($"ss -ltnp 'sport = :{port}'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("demo")]
    public async Task An_unknown_log_level_is_one_line_listing_the_levels(string command)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await OneHopCli.InvokeAsync([command, "--log-level", "loud"], output, errors);

        Assert.NotEqual(0, exit);
        Assert.Equal(
            "--log-level loud is not a level; give one of Trace, Debug, Information, Warning, Error, Critical, None",
            Assert.Single(errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim());
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void A_log_level_is_taken_in_any_case()
    {
        var parsed = OneHopCli.Create().Parse(["run", "--log-level", "debug"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, parsed.GetValue<Microsoft.Extensions.Logging.LogLevel>("--log-level"));
    }

    [Fact]
    public async Task A_config_file_with_errors_stops_the_start_with_every_error_and_its_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"onehop-run-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "listeners:\n  - address: 127.0.0.1:0\n    protocl: http\nupstreams:\n  - name: a\n    scheme: ftp\n    endpoints: [{address: 10.0.0.1:80}]\n", TestContext.Current.CancellationToken);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        try
        {
            var exit = await OneHopCli.InvokeAsync(["run", "--config", file, "--admin", "127.0.0.1:0"], output, errors);

            Assert.Equal(1, exit);
            var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.StartsWith($"error {file} (line 3, column 5) listeners[0].protocl: unknown field", lines[0], StringComparison.Ordinal);
            Assert.StartsWith($"error {file} (line 6, column 13) upstreams[0].scheme: 'ftp' is not http, https or h2c", lines[1], StringComparison.Ordinal);
            Assert.Contains("has errors; fix them and start again", lines[2], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
