using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A real server from Debian's packages (redis-server, dnsmasq) run as a pod on its own loopback address and a free
/// port, killed when the test ends. Skips the test when the program is not installed.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string address, int port)
    {
        _process = process;
        Address = address;
        Port = port;
    }

    public string Address { get; }

    public int Port { get; }

    /// <summary>Starts <paramref name="file"/> with the arguments <paramref name="args"/> makes of (address, port).</summary>
    public static async Task<ServerProcess> StartAsync(string file, Func<string, int, IEnumerable<string>> args, bool udp, CancellationToken cancellationToken, int port = 0)
    {
        Assert.SkipUnless(ExternalTool.Exists(file), $"{file} is not installed (see .ci/run)");
        var address = LoopbackAddresses.Next();
        port = port == 0 ? FreePort(address, udp) : port;
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args(address, port))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await server.AnswersAsync(udp, cancellationToken))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                Assert.Fail($"{file} did not start on {address}:{port}");
            }

            await Task.Delay(50, cancellationToken);
        }

        return server;
    }

    public Yaml.Endpoint Ready(string pod) => new(Address, pod);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>A port free on <paramref name="address"/> now: the address is this test's own, so nothing else takes it meanwhile.</summary>
    private static int FreePort(string address, bool udp)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private async Task<bool> AnswersAsync(bool udp, CancellationToken cancellationToken)
    {
        if (udp)
        {
            // A UDP server is bound when its port is taken.
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                probe.Bind(new IPEndPoint(IPAddress.Parse(Address), Port));
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }

        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(Address), Port), cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
