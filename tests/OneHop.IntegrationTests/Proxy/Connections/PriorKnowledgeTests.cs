using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneHop.Core.Proxy.Connections;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Connections;

/// <summary>
/// <see cref="PriorKnowledgeMiddleware"/> and <see cref="PriorKnowledgeHandoff"/> on a real Kestrel cleartext port, as
/// the Gateway's HTTP ports are bound: HTTP/1.1 and HTTP/2 with prior knowledge on one port, each served by Kestrel's
/// own server for that protocol, with the socket's local port; a short HTTP/1.0 request and a preface that arrives in
/// pieces are told apart right.
/// </summary>
public sealed class PriorKnowledgeTests : IAsyncLifetime
{
    private readonly string _address = LoopbackAddresses.Next();
    private WebApplication? _app;
    private int _port;

    public async ValueTask InitializeAsync()
    {
        var handoff = new PriorKnowledgeHandoff();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IConnectionListenerFactory>(handoff);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(_address), 0, o =>
            {
                o.Protocols = HttpProtocols.Http1;
                o.Use(next => new PriorKnowledgeMiddleware(next, handoff).OnConnectionAsync);
            });
            k.Listen(PriorKnowledgeEndPoint.Instance, o => o.Protocols = HttpProtocols.Http2);
        });
        _app = builder.Build();
        _app.Run(c => c.Response.WriteAsync($"{c.Request.Protocol} {c.Request.Scheme} {c.Connection.LocalPort}"));
        _port = await KestrelApps.StartAsync(_app, TestTimeouts.Token());
    }

    [Theory]
    [InlineData("1.1", "HTTP/1.1")]
    [InlineData("2.0", "HTTP/2")]
    public async Task Both_protocols_are_served_on_one_cleartext_port(string version, string protocol)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{_address}:{_port}/") { Version = Version.Parse(version), VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request, TestTimeouts.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{protocol} http {_port}", await response.Content.ReadAsStringAsync(TestTimeouts.Token()));
    }

    [Fact]
    public async Task A_request_shorter_than_the_preface_is_answered_as_http1()
    {
        // 18 bytes, whole: nothing more comes until the answer, so waiting for 24 would hang.
        var answer = await ExchangeAsync(["GET / HTTP/1.0\r\n\r\n"u8.ToArray()]);

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.EndsWith($"HTTP/1.0 http {_port}", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preface_in_pieces_is_still_http2()
    {
        var preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
        // The preface, then an empty SETTINGS frame: the server's answer starts with its own SETTINGS frame (type 4).
        byte[] settings = [0, 0, 0, 4, 0, 0, 0, 0, 0];
        var answer = await ExchangeBytesAsync([preface[..3], preface[3..10], [.. preface[10..], .. settings]]);

        Assert.True(answer.Length >= 9 && answer[3] == 4, $"expected an HTTP/2 SETTINGS frame, got {Convert.ToHexString(answer)}");
    }

    private async Task<string> ExchangeAsync(byte[][] pieces) => Encoding.ASCII.GetString(await ExchangeBytesAsync(pieces));

    private async Task<byte[]> ExchangeBytesAsync(byte[][] pieces)
    {
        var ct = TestTimeouts.Token();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Parse(_address), _port, ct);
        foreach (var piece in pieces)
        {
            await socket.SendAsync(piece, ct);
            await Task.Delay(50, ct);
        }

        var buffer = new byte[4096];
        var total = 0;
        while (total < buffer.Length)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quiet.CancelAfter(TimeSpan.FromMilliseconds(total == 0 ? 5000 : 300));
            try
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(total), quiet.Token);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
        }

        return buffer[..total];
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
