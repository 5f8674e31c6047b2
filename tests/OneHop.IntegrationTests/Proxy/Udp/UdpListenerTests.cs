using System.Net;
using System.Net.Sockets;
using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Udp;

/// <summary>A udp listener in front of small UDP responders: sessions pinned per client address and port, closed when idle.</summary>
public sealed class UdpListenerTests
{
    [Fact]
    public async Task A_session_stays_on_its_pod_and_closes_after_the_idle_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = Responder("dns-0", 0, out var port);
        using var second = Responder("dns-1", port, out _);
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["dns.yaml"] = Yaml.UdpService("dns", port, Endpoint(first, "dns-0"), Endpoint(second, "dns-1")) }, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: dns
                address: 127.0.0.1:0
                protocol: udp
                service: default/dns:dns
                idleTimeout: 1s
            """);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(onehop.Server.L4.EndPoints["dns"]);

        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await AskAsync(client, $"q{i}", ct));
        }

        var pod = answers[0].Split(' ')[0];
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{pod} q{i}"), answers);
        Assert.Contains("onehop_l4_connections_open{backend=\"udp/default/dns:53\",listener=\"dns\",pod=\"" + pod + "\"} 1", await onehop.Admin.GetStringAsync("/metrics", ct), StringComparison.Ordinal);
        await OneHopInstance.EventuallyAsync(
            async () => (await onehop.Admin.GetStringAsync("/metrics", ct)).Contains("onehop_l4_connections_open{backend=\"udp/default/dns:53\",listener=\"dns\",pod=\"" + pod + "\"} 0", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5),
            "the idle session is closed",
            ct);
        Assert.Equal($"{pod} again", await AskAsync(client, "again", ct));
    }

    private static async Task<string> AskAsync(Socket client, string question, CancellationToken cancellationToken)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(question), SocketFlags.None, cancellationToken);
        var buffer = new byte[512];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var read = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private static Yaml.Endpoint Endpoint(Socket responder, string pod) => new(((IPEndPoint)responder.LocalEndPoint!).Address.ToString(), pod);

    /// <summary>A UDP pod answering each datagram with its name and the datagram; disposing the socket ends it.</summary>
    private static Socket Responder(string name, int port, out int bound)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), port));
        bound = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _ = Task.Run(async () =>
        {
            var buffer = new byte[512];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from);
                    await socket.SendToAsync(Encoding.ASCII.GetBytes($"{name} {Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes)}"), SocketFlags.None, received.RemoteEndPoint);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        });
        return socket;
    }
}
