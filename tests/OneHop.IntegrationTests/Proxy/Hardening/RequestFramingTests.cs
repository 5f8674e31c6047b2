using System.Text;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Hardening;

/// <summary>
/// The RFC 9112 desync corpus: a request whose length is ambiguous, or whose head is malformed, is refused with the
/// connection closed, and nothing of it — nor a request smuggled in its body — reaches the pod. Requests that are
/// odd but unambiguous reach the pod re-framed. nginx 1.22 and HAProxy 2.6 answers are in docs/security.md.
/// </summary>
public sealed class RequestFramingTests(RecordingEdge edge) : IClassFixture<RecordingEdge>
{
    private const string Smuggled = "GET /smuggled HTTP/1.1\r\nHost: app\r\n\r\n";

    /// <summary>Case name (its path on the wire), the raw request with <c>{path}</c> in it, the status OneHop answers.</summary>
    public static TheoryData<string, string, int> Refused => new()
    {
        { "content-length-plus", "POST {path} HTTP/1.1\r\nHost: app\r\nContent-Length: +5\r\n\r\nhello", 400 },
        { "content-length-negative", "POST {path} HTTP/1.1\r\nHost: app\r\nContent-Length: -1\r\n\r\n", 400 },
        { "content-length-list", "POST {path} HTTP/1.1\r\nHost: app\r\nContent-Length: 5, 5\r\n\r\nhello", 400 },
        { "content-length-twice-same", "POST {path} HTTP/1.1\r\nHost: app\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400 },
        { "content-length-twice-different", "POST {path} HTTP/1.1\r\nHost: app\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400 },
        { "content-length-and-chunked", "POST {path} HTTP/1.1\r\nHost: app\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + Smuggled, 400 },
        { "chunked-chunked", "POST {path} HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501 },
        { "chunked-on-two-lines", "POST {path} HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501 },
        { "gzip-then-chunked", "POST {path} HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501 },
        { "chunked-then-gzip", "POST {path} HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400 },
        { "identity", "POST {path} HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello", 400 },
        { "chunked-after-vertical-tab", "POST {path} HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: \vchunked\r\nContent-Length: 5\r\n\r\nhello", 400 },
        { "chunked-in-http10", "POST {path} HTTP/1.0\r\nHost: app\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400 },
        { "obs-fold", "GET {path} HTTP/1.1\r\nHost: app\r\nX-Folded: a\r\n b\r\n\r\n", 400 },
        { "nul-in-value", "GET {path} HTTP/1.1\r\nHost: app\r\nX-Nul: a\0b\r\n\r\n", 400 },
        { "space-before-colon", "GET {path} HTTP/1.1\r\nHost: app\r\nX-Space : a\r\n\r\n", 400 },
        { "absolute-form-other-host", "GET http://evil{path} HTTP/1.1\r\nHost: app\r\n\r\n", 400 },
        { "host-twice", "GET {path} HTTP/1.1\r\nHost: app\r\nHost: evil\r\n\r\n", 400 },
        { "host-missing", "GET {path} HTTP/1.1\r\nX-Case: {path}\r\n\r\n", 400 },
    };

    /// <summary>Case name, the raw request (it asks to close), what the pod's request starts with.</summary>
    public static TheoryData<string, string, string> Forwarded => new()
    {
        { "content-length-leading-zeros", "POST {path} HTTP/1.1\r\nHost: app\r\nContent-Length: 005\r\nConnection: close\r\n\r\nhello", "POST {path} HTTP/1.1\r\n" },
        { "chunked-capitalised", "POST {path} HTTP/1.1\r\nHost: app\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "POST {path} HTTP/1.1\r\n" },
        { "bare-lf", "GET {path} HTTP/1.1\nHost: app\nConnection: close\n\n", "GET {path} HTTP/1.1\r\n" },
        { "absolute-form", "GET http://app{path} HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", "GET {path} HTTP/1.1\r\n" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task An_ambiguous_or_malformed_request_is_refused_with_the_connection_closed_and_never_reaches_the_pod(string name, string request, int status)
    {
        var path = $"/framing/{name}";
        var answer = await edge.ExchangeAsync(Encoding.Latin1.GetBytes(request.Replace("{path}", path, StringComparison.Ordinal)), TestTimeouts.Token());

        Assert.StartsWith($"HTTP/1.1 {status} ", answer, StringComparison.Ordinal);
        Assert.Empty(edge.Received(path));
        Assert.Empty(edge.Received("/smuggled"));
    }

    [Theory]
    [MemberData(nameof(Forwarded))]
    public async Task An_odd_but_unambiguous_request_reaches_the_pod_once_and_well_framed(string name, string request, string podRequestLine)
    {
        var path = $"/framing/{name}";
        var answer = await edge.ExchangeAsync(Encoding.Latin1.GetBytes(request.Replace("{path}", path, StringComparison.Ordinal)), TestTimeouts.Token());

        Assert.True(answer.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal), answer);
        var received = Assert.Single(edge.Received(path));
        Assert.StartsWith(podRequestLine.Replace("{path}", path, StringComparison.Ordinal), received, StringComparison.Ordinal);
        var head = received[..received.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.DoesNotContain('\n', head.Replace("\r\n", string.Empty, StringComparison.Ordinal));
        Assert.Equal(name.StartsWith("content-length", StringComparison.Ordinal) || name.StartsWith("chunked", StringComparison.Ordinal), received.Contains("hello", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CONNECT app:443 HTTP/1.1\r\nHost: app:443\r\n\r\n")]
    [InlineData("CONNECT app:443 HTTP/1.1\r\nHost: app:443\r\nConnection: close\r\n\r\n")]
    public async Task CONNECT_is_answered_501_without_touching_a_pod(string request)
    {
        var answer = await edge.ExchangeAsync(Encoding.ASCII.GetBytes(request), TestTimeouts.Token());

        Assert.StartsWith("HTTP/1.1 501 ", answer, StringComparison.Ordinal);
        Assert.Contains("CONNECT", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(edge.Pod.Requests, r => r.StartsWith("CONNECT", StringComparison.Ordinal));
    }
}
