using System.Net;
using System.Net.Sockets;
using OneHop.Cli;

namespace OneHop.IntegrationTests.Cli;

public sealed class RunCommandTests
{
    [Fact]
    public async Task A_gateway_address_that_is_not_an_ip_is_refused_with_its_value()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = await OneHopCli.InvokeAsync(["run", "--manifests", Path.GetTempPath(), "--gateway-address", "gw.example", "--http", "127.0.0.1:0", "--admin", "127.0.0.1:0"], output, errors);

        Assert.NotEqual(0, exit);
        Assert.Contains("'gw.example' is not an IP address", errors.ToString(), StringComparison.Ordinal);
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
}
