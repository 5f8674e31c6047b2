using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>Real servers from Debian's packages behind L4 listeners, driven by their own clients: Redis over TCP, DNS (dnsmasq) over UDP.</summary>
public sealed class RealServerTests
{
    [Fact]
    public async Task Redis_behind_a_tcp_listener_answers_redis_cli()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await ServerProcess.StartAsync("redis-server", (address, port) => ["--bind", address, "--port", $"{port}", "--save", "", "--appendonly", "no", "--protected-mode", "no"], udp: false, ct);
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["redis.yaml"] = Yaml.Service("redis", redis.Port, redis.Ready("redis-0")) }, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: redis
                address: 127.0.0.1:0
                protocol: tcp
                service: default/redis:80
            """);
        var port = $"{onehop.Server.L4.EndPoints["redis"].Port}";

        var set = await ExternalTool.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port, "SET", "greeting", "one hop"], null, ct);
        var get = await ExternalTool.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port, "GET", "greeting"], null, ct);
        var big = await ExternalTool.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port, "-x", "SET", "big"], new string('r', 2_000_000), ct);
        var length = await ExternalTool.RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port, "STRLEN", "big"], null, ct);

        Assert.Equal("OK", set.Output.Trim());
        Assert.Equal("one hop", get.Output.Trim());
        Assert.Equal("OK", big.Output.Trim());
        Assert.Equal("2000000", length.Output.Trim());
    }

    [Fact]
    public async Task Dns_over_a_udp_listener_answers_dig_and_a_client_stays_on_its_pod()
    {
        var ct = TestContext.Current.CancellationToken;
        static Func<string, int, IEnumerable<string>> Dnsmasq(string answer) => (address, port) =>
            ["--keep-in-foreground", "--no-resolv", "--no-hosts", "--bind-interfaces", $"--listen-address={address}", $"--port={port}", $"--address=/pod.test/{answer}", "--user=root", "--pid-file=", "--conf-file=/dev/null"];
        await using var first = await ServerProcess.StartAsync("dnsmasq", Dnsmasq("10.0.0.1"), udp: true, ct);
        await using var second = await ServerProcess.StartAsync("dnsmasq", Dnsmasq("10.0.0.2"), udp: true, ct, first.Port);
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["dns.yaml"] = Yaml.UdpService("dns", first.Port, first.Ready("dns-0"), second.Ready("dns-1")) }, ct, """
            listeners:
              - name: http
                address: 127.0.0.1:0
              - name: dns
                address: 127.0.0.1:0
                protocol: udp
                service: default/dns:53
            """);
        var port = $"{onehop.Server.L4.EndPoints["dns"].Port}";

        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var dig = await ExternalTool.RunAsync("dig", ["@127.0.0.1", "-p", port, "+short", "+tries=1", "+time=3", "-b", "127.0.0.1#35353", "pod.test", "A"], null, ct);
            answers.Add(dig.Output.Trim());
        }

        Assert.Contains(answers[0], new[] { "10.0.0.1", "10.0.0.2" });
        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }
}
