using System.Text;
using OneHop.Core.Proxy.Http;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Hardening;

/// <summary>
/// What a client cannot make a pod believe (spoofed X-Forwarded-*, X-Real-IP or Forwarded), and header bytes that pass through
/// unchanged both ways (non-ASCII values, as nginx and HAProxy pass them).
/// </summary>
public sealed class IdentityHeaderTests
{
    private const string Spoofed = "Forwarded: for=198.51.100.66;proto=https;host=spoofed.example\r\n"
        + "X-Forwarded-For: 198.51.100.66\r\nX-Forwarded-Host: spoofed.example\r\nX-Forwarded-Proto: https\r\n"
        + "X-Forwarded-Port: 1\r\nX-Forwarded-Prefix: /spoofed\r\nX-Real-IP: 198.51.100.66\r\n";

    /// <summary>The forwardedHeaders config; the headers the pod must get (prefixes of lines); whether the client's values may pass.</summary>
    public static TheoryData<string, string[], bool> Modes => new()
    {
        { string.Empty, ["X-Forwarded-For: 127.0.0.1", "X-Real-IP: 127.0.0.1", "X-Forwarded-Host: app.example.org", "X-Forwarded-Proto: http"], false },
        { "forwardedHeaders: {xForwarded: set, forwarded: set}", ["X-Forwarded-For: 127.0.0.1", "X-Real-IP: 127.0.0.1", "Forwarded: proto=http;host=\"app.example.org\";for=\"127.0.0.1:"], false },
        { "forwardedHeaders: {xForwarded: off, forwarded: set}", ["Forwarded: proto=http;host=\"app.example.org\";for=\"127.0.0.1:"], false },
        { "forwardedHeaders: {xForwarded: append, forwarded: off}", ["X-Forwarded-For: 198.51.100.66, 127.0.0.1", "X-Real-IP: 198.51.100.66"], true },
        { "forwardedHeaders: {xForwarded: off, forwarded: off}", ["X-Forwarded-For: 198.51.100.66", "X-Real-IP: 198.51.100.66", "Forwarded: for=198.51.100.66"], true },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public Task A_client_cannot_speak_for_a_header_family_OneHop_vouches_for_or_has_turned_off(string config, string[] expected, bool clientValuesPass) =>
        PodSeesAsync(config, expected, clientValuesPass, Http1ForwarderKind.Lean);

    [Theory]
    [MemberData(nameof(Modes))]
    public Task YARPs_forwarder_writes_the_same_identity_headers(string config, string[] expected, bool clientValuesPass) =>
        PodSeesAsync(config, expected, clientValuesPass, Http1ForwarderKind.Yarp);

    private static async Task PodSeesAsync(string config, string[] expected, bool clientValuesPass, Http1ForwarderKind forwarder)
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Ok);
        await using var onehop = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["app.yaml"] = pod.Manifests("app") }, ct, config.Length == 0 ? null : config, configure: o => o with { Http1Forwarder = forwarder });

        using var connection = await RawConnection.OpenAsync(onehop.Port("http"), null, ct);
        await connection.SendAsync($"GET /who HTTP/1.1\r\nHost: app.example.org\r\n{Spoofed}Connection: close\r\n\r\n", ct);
        Assert.StartsWith("HTTP/1.1 200 ", await connection.ReadToCloseAsync(ct), StringComparison.Ordinal);

        var lines = Assert.Single(pod.Requests).Split("\r\n");
        foreach (var header in expected)
        {
            Assert.Contains(lines, l => l.StartsWith(header, StringComparison.OrdinalIgnoreCase));
        }

        if (!clientValuesPass)
        {
            Assert.DoesNotContain(lines, l => l.Contains("198.51.100.66", StringComparison.Ordinal) || l.Contains("spoofed", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [InlineData("X-Filename", "caf\u00c3\u00a9.txt")]
    [InlineData("X-Legacy", "r\u00e9sum\u00e9")]
    [InlineData("Cookie", "name=J\u00c3\u00bcrgen")]
    public async Task A_request_header_with_bytes_above_0x7F_reaches_the_pod_byte_for_byte(string name, string latin1Value)
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Ok);
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["app.yaml"] = pod.Manifests("app") }, ct);

        using var connection = await RawConnection.OpenAsync(onehop.Port("http"), null, ct);
        await connection.SendAsync(Encoding.Latin1.GetBytes($"GET /upload HTTP/1.1\r\nHost: app\r\n{name}: {latin1Value}\r\nConnection: close\r\n\r\n"), ct);
        var answer = await connection.ReadToCloseAsync(ct);

        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        Assert.Contains($"\r\n{name}: {latin1Value}\r\n", Assert.Single(pod.Requests), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_response_header_with_bytes_above_0x7F_reaches_the_client_byte_for_byte()
    {
        var ct = TestTimeouts.Token();
        const string Disposition = "Content-Disposition: attachment; filename=\"caf\u00c3\u00a9.txt\"";
        await using var pod = RawPod.Start(PodAnswer.Raw($"HTTP/1.1 200 OK\r\n{Disposition}\r\nX-Legacy: r\u00e9sum\u00e9\r\nContent-Length: 3\r\n\r\nok\n", PodThen.KeepAlive));
        await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["app.yaml"] = pod.Manifests("app") }, ct);

        using var connection = await RawConnection.OpenAsync(onehop.Port("http"), null, ct);
        await connection.SendAsync("GET /download HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
        var answer = await connection.ReadToCloseAsync(ct);

        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
        Assert.Contains($"\r\n{Disposition}\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nX-Legacy: r\u00e9sum\u00e9\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok\n", answer, StringComparison.Ordinal);
    }
}
