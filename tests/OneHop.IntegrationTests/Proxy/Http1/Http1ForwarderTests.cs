using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http1;
using OneHop.Core.Routing;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http1;

/// <summary>The lean HTTP/1.1 forwarder in front of real Kestrel pods: pooling, bodies both ways, 100-continue, no-body answers, upgrades, TLS.</summary>
public sealed class Http1ForwarderTests
{
    [Fact]
    public async Task Sequential_requests_share_one_upstream_connection()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("hello", await client.GetStringAsync(edge.Url("/hello"), ct));
            Assert.Equal(new EdgeAttempt(AttemptOutcome.Success, true), await edge.NextAttemptAsync(ct));
        }

        Assert.Equal(20, pod.Requests.Count);
        Assert.Equal(1, pod.Connections);
        Assert.Equal(1, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task Concurrent_requests_each_get_their_answer_and_the_pool_keeps_what_they_opened()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => client.GetStringAsync(edge.Url($"/bytes?n={i}"), ct)));

        Assert.All(answers, (a, i) => Assert.Equal(i, a.Length));
        Assert.InRange(pod.Connections, 1, 200);
        Assert.Equal(Math.Min(pod.Connections, new Http1ForwarderOptions().MaxIdleConnectionsPerEndpoint), edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task A_chunked_request_body_goes_out_chunked_and_a_chunked_answer_comes_back()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"{i},")));

        using var request = new HttpRequestMessage(HttpMethod.Post, edge.Url("/echo")) { Content = new StreamContent(new MemoryStream(body)) };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request, ct);

        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync(ct));
        Assert.True(response.Headers.TransferEncodingChunked);
        var seen = Assert.Single(pod.Requests);
        Assert.Equal("chunked", seen.Headers["Transfer-Encoding"]);
        Assert.False(seen.Headers.ContainsKey("Content-Length"));
        Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(1, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task Sixteen_MiB_go_both_ways_streamed()
    {
        var ct = TestTimeouts.Token(TimeSpan.FromSeconds(60));
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();
        var upload = RandomNumberGenerator.GetBytes(16 << 20);

        // Not /echo: .NET's HTTP/1.1 client reads no response before its whole body is sent, so a streamed echo of
        // 16 MiB would have to fit in the sockets' buffers along the way, and then only passed when the kernel grew them.
        using var digested = await client.PostAsync(edge.Url("/digest"), new ByteArrayContent(upload), ct);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(upload)), await digested.Content.ReadAsStringAsync(ct));
        Assert.Equal((16 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), pod.Requests[0].Headers["Content-Length"]);

        using var download = await client.GetAsync(edge.Url($"/bytes?n={16 << 20}"), HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(16 << 20, download.Content.Headers.ContentLength);
        Assert.Equal(16 << 20, (await download.Content.ReadAsByteArrayAsync(ct)).Length);

        Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(1, pod.Connections);
    }

    [Fact]
    public async Task Expect_100_continue_is_forwarded_and_the_body_follows_the_pods_100()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct, new Http1ForwarderOptions { ExpectContinueTimeout = TimeSpan.FromSeconds(20) });
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(20) });
        using var request = new HttpRequestMessage(HttpMethod.Put, edge.Url("/echo")) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes("payload")) };
        request.Headers.ExpectContinue = true;

        var started = DateTime.UtcNow;
        using var response = await client.SendAsync(request, ct);

        Assert.Equal("payload", await response.Content.ReadAsStringAsync(ct));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the body waited for a timeout instead of the 100");
        Assert.Equal("100-continue", pod.Requests[0].Headers["Expect"]);
        Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
    }

    [Fact]
    public async Task A_final_answer_instead_of_100_withholds_the_body_and_closes_the_connection()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct, new Http1ForwarderOptions { ExpectContinueTimeout = TimeSpan.FromSeconds(20) });
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(20) });
        using var request = new HttpRequestMessage(HttpMethod.Put, edge.Url("/reject")) { Content = new ByteArrayContent(new byte[100_000]) };
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(0, pod.Requests[0].BodyBytes);
        Assert.Equal(0, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task HEAD_204_and_304_carry_no_body_and_keep_the_connection()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, edge.Url("/bytes?n=100")), ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(100, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(ct));

        using var noContent = await client.GetAsync(edge.Url("/status?code=204"), ct);
        Assert.Equal(HttpStatusCode.NoContent, noContent.StatusCode);

        using var notModified = await client.GetAsync(edge.Url("/status?code=304"), ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("\"v1\"", notModified.Headers.ETag?.Tag);

        using var after = await client.GetAsync(edge.Url("/hello"), ct);
        Assert.Equal("hello", await after.Content.ReadAsStringAsync(ct));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
        }

        Assert.Equal(1, pod.Connections);
    }

    [Fact]
    public async Task A_pods_5xx_is_passed_on_as_PodError_and_the_connection_kept()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient();

        using var response = await client.GetAsync(edge.Url("/status?code=503"), ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Outcome"));
        Assert.Equal(AttemptOutcome.PodError, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(1, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task Repeated_Set_Cookie_fields_stay_separate()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false });

        using var response = await client.GetAsync(edge.Url("/cookies"), ct);

        Assert.Equal(["a=1; Path=/", "b=2; Path=/"], response.Headers.GetValues("Set-Cookie"));
    }

    [Fact]
    public async Task A_WebSocket_is_tunnelled_after_the_pods_101()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var socket = new ClientWebSocket();

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{edge.Port}/ws"), ct);
        for (var i = 0; i < 3; i++)
        {
            var message = Encoding.UTF8.GetBytes($"message {i}");
            await socket.SendAsync(message, WebSocketMessageType.Text, true, ct);
            var buffer = new byte[64];
            var received = await socket.ReceiveAsync(buffer, ct);
            Assert.Equal($"message {i}", Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);

        Assert.Equal(new EdgeAttempt(AttemptOutcome.Success, true), await edge.NextAttemptAsync(ct));
        Assert.Equal("websocket", pod.Requests[0].Headers["Upgrade"]);
        Assert.Equal(0, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task An_upgrade_the_pod_declines_is_an_ordinary_answer()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct);
        using var connection = await RawConnection.OpenAsync(edge.Port, null, ct);

        await connection.SendAsync("GET /hello HTTP/1.1\r\nHost: app\r\nConnection: Upgrade\r\nUpgrade: custom\r\n\r\n", ct);
        await Task.Delay(200, ct);
        await connection.SendAsync("GET /hello HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n", ct);
        var answer = await connection.ReadToCloseAsync(ct);

        Assert.StartsWith("HTTP/1.1 200 OK", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n5\r\nhello\r\n0\r\n\r\n", answer, StringComparison.Ordinal);
        Assert.Equal("custom", pod.Requests[0].Headers["Upgrade"]);
    }

    [Theory]
    [InlineData("ca", nameof(AttemptOutcome.Success))]
    [InlineData("none", nameof(AttemptOutcome.Success))]
    [InlineData("system", nameof(AttemptOutcome.TlsFailure))]
    public async Task A_TLS_pod_is_reached_with_its_SNI_name_and_the_trust_asked_for(string trust, string outcome)
    {
        var ct = TestTimeouts.Token();
        var expected = Enum.Parse<AttemptOutcome>(outcome);
        using var certificates = new TestCertificates();
        var (certificate, key) = certificates.Issue("pod.test");
        using var pem = X509Certificate2.CreateFromPem(certificate, key);
        using var serving = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        await using var pod = await KestrelPod.StartAsync(ct, serving);
        var policy = new BackendTls { Verify = trust != "none", CaPem = trust == "ca" ? certificates.CaPem : null, ServerName = "pod.test" };
        Assert.Equal(trust, policy.Trust);
        var upstream = new Http1UpstreamKey(pod.Address, pod.Port, policy);
        await using var edge = await LeanEdge.StartAsync(upstream, ct);
        using var client = new HttpClient();

        using var first = await client.GetAsync(edge.Url("/hello"), ct);
        using var second = await client.GetAsync(edge.Url("/hello"), ct);

        Assert.Equal(new EdgeAttempt(expected, expected == AttemptOutcome.Success), await edge.NextAttemptAsync(ct));
        if (expected == AttemptOutcome.Success)
        {
            Assert.Equal("hello", await second.Content.ReadAsStringAsync(ct));
            Assert.Equal(1, pod.Connections);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
            Assert.Equal(expected.ToString(), first.Headers.GetValues("X-Outcome").Single());
        }
    }

    [Fact]
    public async Task A_TLS_pod_whose_name_does_not_match_is_a_TLS_failure()
    {
        var ct = TestTimeouts.Token();
        using var certificates = new TestCertificates();
        var (certificate, key) = certificates.Issue("other.test");
        using var pem = X509Certificate2.CreateFromPem(certificate, key);
        using var serving = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        await using var pod = await KestrelPod.StartAsync(ct, serving);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port, new BackendTls { CaPem = certificates.CaPem, ServerName = "pod.test" }), ct);
        using var client = new HttpClient();

        using var response = await client.GetAsync(edge.Url("/hello"), ct);

        Assert.Equal(new EdgeAttempt(AttemptOutcome.TlsFailure, false), await edge.NextAttemptAsync(ct));
        Assert.Empty(pod.Requests);
    }

    [Fact]
    public async Task The_shape_adds_forwarded_headers_and_drops_the_clients_own()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct, shape: new ForwardedFor());
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, edge.Url("/hello"));
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");

        using var response = await client.SendAsync(request, ct);

        Assert.Equal("127.0.0.1", pod.Requests[0].Headers["X-Forwarded-For"]);
    }

    private sealed class ForwardedFor : Http1RequestShape
    {
        public override bool Skips(string headerName) => headerName.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase);

        public override void WriteHeaders(ref Http1HeaderWriter writer, Microsoft.AspNetCore.Http.HttpContext context)
        {
            writer.Start("X-Forwarded-For");
            writer.Append(context.Connection.RemoteIpAddress!);
            writer.End();
        }
    }
}
