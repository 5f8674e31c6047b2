using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>Bad L4 input on a live OneHop: a clear finding, and connections keep flowing by the last good config.</summary>
public sealed class L4BadInputTests
{
    [Fact]
    public async Task A_udp_listener_with_routes_or_an_unknown_service_is_reported_and_connections_go_on_as_before()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pod = TcpEchoPod.Start("echo-0");
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["echo.yaml"] = Yaml.Service("echo", pod.Port, pod.Ready()) }, ct, L4Configs.Echo);
        var endpoint = onehop.Server.L4.EndPoints["echo"];

        await onehop.WriteConfigAsync(L4Configs.Echo + """

              - name: dns
                address: 127.0.0.1:0
                protocol: udp
                routes:
                  - { hosts: [a.example.com], service: default/echo:80 }
            """, ct);
        await Finding(onehop, "a udp listener has no routes", ct);
        using (var client = await TcpClientHelpers.ConnectAsync(endpoint, ct))
        {
            Assert.Equal("still\n", await client.EchoAsync("still\n", ct));
        }

        await onehop.WriteConfigAsync(L4Configs.Echo.Replace("default/echo:80", "default/missing:80", StringComparison.Ordinal), ct);
        await Finding(onehop, "service default/missing does not exist", ct);
        await Finding(onehop, "the last target that existed", ct);
        using (var client = await TcpClientHelpers.ConnectAsync(endpoint, ct))
        {
            Assert.Equal("kept\n", await client.EchoAsync("kept\n", ct));
        }
    }

    private static Task Finding(OneHopInstance onehop, string text, CancellationToken ct) =>
        OneHopInstance.EventuallyAsync(async () => (await onehop.StatusAsync(ct)).ToString().Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(15), $"a finding with '{text}'", ct);
}
