using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Hardening;

/// <summary>
/// The Host and the path a pod receives: an invalid Host is refused, a valid one arrives once and as sent; the path
/// arrives exactly as the client sent it (routing uses the normalized form), or is refused when nginx refuses it.
/// </summary>
public sealed class HostAndPathTests(RecordingEdge edge) : IClassFixture<RecordingEdge>
{
    /// <summary>An invalid Host, and whether OneHop refuses it (with its header) or Kestrel already does (bare 400).</summary>
    [Theory]
    [InlineData("a..b", true)]
    [InlineData(".a.example.com", true)]
    [InlineData("a.example.com:99999", true)]
    [InlineData("evil.example:70000", true)]
    [InlineData("a.example.com:", false)]
    [InlineData("a.example.com:8o", false)]
    [InlineData("caf\u00c3\u00a9.example", false)]
    [InlineData("[::1", false)]
    [InlineData("[not-an-address]:80", false)]
    [InlineData("127.0.0.1:-1", false)]
    public async Task An_invalid_Host_is_refused_with_400_and_never_reaches_the_pod(string host, bool byOneHop)
    {
        var path = $"/host/{Guid.NewGuid():N}";
        var answer = await edge.ExchangeAsync(Encoding.Latin1.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"), TestTimeouts.Token());

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Equal(byOneHop, answer.Contains("X-OneHop-Error: bad-host\r\n", StringComparison.Ordinal));
        Assert.Empty(edge.Received(path));
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("APP.Example.com.")]
    [InlineData("app.example.com:8080")]
    [InlineData("my_host.internal:0")]
    [InlineData("127.0.0.1:80")]
    [InlineData("[::1]:8080")]
    [InlineData("[2001:db8::1]")]
    public async Task A_valid_Host_reaches_the_pod_once_and_as_sent(string host)
    {
        var path = $"/host/{Guid.NewGuid():N}";
        var answer = await edge.ExchangeAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), TestTimeouts.Token());

        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        var received = Assert.Single(edge.Received(path));
        var hosts = HeaderLines(received, "Host");
        Assert.Equal([host], hosts);
    }

    [Theory]
    [InlineData("/api%2Fx")]
    [InlineData("/api/caf%E9")]
    [InlineData("/api/a%3Bb%2Bc")]
    [InlineData("/api/%7euser/%C3%A9t%C3%A9")]
    [InlineData("/@scope%2fpackage")]
    [InlineData("/group%2Fproject/-/raw/main/a%20b.txt")]
    [InlineData("/app;jsessionid=ABC?x=1")]
    [InlineData("/api/x?q=a%2Bb&r=%zz&s=caf%E9")]
    [InlineData("/api/./x/../y")]
    [InlineData("/api/%2e%2e/admin")]
    [InlineData("//double//slashes")]
    public async Task The_path_and_query_reach_the_pod_exactly_as_sent(string target)
    {
        var marker = Guid.NewGuid().ToString("N");
        var answer = await edge.ExchangeAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: app\r\nX-Case: {marker}\r\nConnection: close\r\n\r\n"), TestTimeouts.Token());

        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        var received = Assert.Single(edge.Received(marker));
        Assert.StartsWith($"GET {target} HTTP/1.1\r\n", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_bytes_above_0x7F_in_a_target_are_refused_with_400_by_Kestrel()
    {
        // RFC 9112 targets are ASCII; nginx forwards such bytes as they are, HAProxy answers 400 as Kestrel does.
        var marker = Guid.NewGuid().ToString("N");
        var answer = await edge.ExchangeAsync([.. "GET /api/caf"u8, 0xC3, 0xA9, .. Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: app\r\nX-Case: {marker}\r\n\r\n")], TestTimeouts.Token());

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Empty(edge.Received(marker));
    }

    [Theory]
    [InlineData("/api/%zz", "invalid percent-encoding")]
    [InlineData("/api/%", "invalid percent-encoding")]
    [InlineData("/api/%4", "invalid percent-encoding")]
    [InlineData("/../etc/passwd", "above the root")]
    [InlineData("/a/%2e%2e/%2E%2E/etc/passwd", "above the root")]
    public async Task A_path_nginx_refuses_is_refused_with_400_and_never_reaches_the_pod(string target, string reason)
    {
        var marker = Guid.NewGuid().ToString("N");
        var answer = await edge.ExchangeAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: app\r\nX-Case: {marker}\r\n\r\n"), TestTimeouts.Token());

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Contains("X-OneHop-Error: bad-path\r\n", answer, StringComparison.Ordinal);
        Assert.Contains(reason, answer, StringComparison.Ordinal);
        Assert.Empty(edge.Received(marker));
    }

    [Fact]
    public async Task Routing_uses_the_normalized_path_while_the_pod_gets_the_raw_one()
    {
        var ct = TestTimeouts.Token();
        await using var api = RawPod.Start(PodAnswer.Ok);
        await using var web = RawPod.Start(PodAnswer.Ok);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string>
            {
                ["all.yaml"] = Yaml.DefaultClass
                    + Yaml.Service("api", api.Port, new Yaml.Endpoint(api.Address, "api-0"))
                    + Yaml.Service("web", web.Port, new Yaml.Endpoint(web.Address, "web-0"))
                    + Yaml.Ingress("site", ("", "/api", "Prefix", "api"), ("", "/", "Prefix", "web")),
            },
            ct);

        using var connection = await RawConnection.OpenAsync(onehop.Port("http"), null, ct);
        await connection.SendAsync("GET /web/..%2Fapi/x HTTP/1.1\r\nHost: app\r\n\r\nGET /web/../api/users HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
        var answer = await connection.ReadToCloseAsync(ct);

        Assert.Equal(2, answer.Split("HTTP/1.1 200 ").Length - 1);
        Assert.StartsWith("GET /web/..%2Fapi/x HTTP/1.1\r\n", Assert.Single(web.Requests), StringComparison.Ordinal);
        Assert.StartsWith("GET /web/../api/users HTTP/1.1\r\n", Assert.Single(api.Requests), StringComparison.Ordinal);
    }

    private static string[] HeaderLines(string request, string name) =>
        [.. request.Split("\r\n").Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(l => l[(name.Length + 1)..].Trim())];
}
