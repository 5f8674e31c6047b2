using System.Net.Sockets;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>
/// OneHop with the tcp listener <c>echo</c> (<see cref="L4Configs.Echo"/>) in front of one echo pod, <c>echo-0</c>, and
/// a client connection through it that has had one answer: what the admin views of L4 are tested against.
/// </summary>
internal sealed class TcpEchoEdge : IAsyncDisposable
{
    private TcpEchoEdge(TcpEchoPod pod, OneHopInstance onehop, Socket client) => (Pod, OneHop, Client) = (pod, onehop, client);

    public TcpEchoPod Pod { get; }

    public OneHopInstance OneHop { get; }

    /// <summary>Open until disposed (a test may close it early to see the count go down).</summary>
    public Socket Client { get; }

    public static async Task<TcpEchoEdge> StartAsync(CancellationToken cancellationToken)
    {
        var pod = TcpEchoPod.Start("echo-0");
        var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready()) }, cancellationToken, L4Configs.Echo);
        var client = await TcpClientHelpers.ConnectAsync(onehop.Server.L4.EndPoints["echo"], cancellationToken);
        Assert.Equal("ping\n", await client.EchoAsync("ping\n", cancellationToken));
        return new TcpEchoEdge(pod, onehop, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await OneHop.DisposeAsync();
        await Pod.DisposeAsync();
    }
}
