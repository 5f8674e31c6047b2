using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneHop.Core.Proxy.Epoll;

namespace OneHop.Core.Tests.Proxy.Epoll;

/// <summary>Kestrel's HTTP/1.1 server on the epoll transport, driven by real clients on loopback.</summary>
public sealed class EpollTransportTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Keep_alive_requests_see_the_real_endpoints()
    {
        await using var server = await Server.StartAsync(IPAddress.Loopback);
        using var client = new HttpClient { BaseAddress = server.Address };
        var ports = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var seen = await client.GetStringAsync("/who", TestContext.Current.CancellationToken);
            var parts = seen.Split(' ');
            Assert.Equal("127.0.0.1", parts[0]);
            Assert.Equal(server.Address.Port.ToString(), parts[2]);
            ports.Add(parts[1]);
        }

        Assert.Single(ports);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Requests_run_on_the_loop_thread_with_inline_io_and_on_the_thread_pool_without(bool inline)
    {
        await using var server = await Server.StartAsync(IPAddress.Loopback, inline: inline);
        using var client = new HttpClient { BaseAddress = server.Address };

        // The first request of a connection may run where Kestrel started the connection (the thread pool) when its
        // bytes were there first; the later ones run where their bytes are received.
        await client.GetStringAsync("/thread", TestContext.Current.CancellationToken);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(inline ? "loop" : "pool", await client.GetStringAsync("/thread", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        await using var server = await Server.StartAsync(IPAddress.Loopback);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.EndPoint, TestContext.Current.CancellationToken);
        var requests = string.Concat(Enumerable.Range(1, 3).Select(i => $"GET /n/{i} HTTP/1.1\r\nHost: x\r\n\r\n"));
        await socket.SendAsync(Encoding.ASCII.GetBytes(requests), TestContext.Current.CancellationToken);

        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (Count(text.ToString(), "HTTP/1.1 200") < 3 || !text.ToString().Contains("n=3", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
            Assert.NotEqual(0, n);
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        var answers = text.ToString();
        Assert.True(answers.IndexOf("n=1", StringComparison.Ordinal) < answers.IndexOf("n=2", StringComparison.Ordinal));
        Assert.True(answers.IndexOf("n=2", StringComparison.Ordinal) < answers.IndexOf("n=3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_large_upload_is_echoed_back_whole_while_it_is_sent()
    {
        // Both directions under back-pressure at once: the client sends and reads concurrently, as an echo needs.
        await using var server = await Server.StartAsync(IPAddress.Loopback);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.EndPoint, TestContext.Current.CancellationToken);
        var body = new byte[8 * 1024 * 1024];
        new Random(3).NextBytes(body);
        var sending = Task.Run(
            async () =>
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes($"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {body.Length}\r\n\r\n"), TestContext.Current.CancellationToken);
                await socket.SendAsync(body, TestContext.Current.CancellationToken);
            },
            TestContext.Current.CancellationToken);

        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var headEnd = -1;
        while (headEnd < 0 || received.Length < headEnd + body.Length)
        {
            var n = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
            Assert.NotEqual(0, n);
            received.Write(buffer, 0, n);
            if (headEnd < 0 && received.ToArray().AsSpan().IndexOf("\r\n\r\n"u8) is var at and >= 0)
            {
                headEnd = at + 4;
            }
        }

        await sending.WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(body, received.ToArray()[headEnd..]);
    }

    [Fact]
    public async Task A_client_that_goes_away_aborts_its_request()
    {
        await using var server = await Server.StartAsync(IPAddress.Loopback);
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(server.EndPoint, TestContext.Current.CancellationToken);
            await socket.SendAsync("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
            await server.Hanging.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);
        }

        await server.Aborted.Task.WaitAsync(Bound, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_aborted_response_closes_the_connection_after_what_was_sent()
    {
        await using var server = await Server.StartAsync(IPAddress.Loopback);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.EndPoint, TestContext.Current.CancellationToken);
        await socket.SendAsync("GET /cut HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);

        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        var text = Encoding.ASCII.GetString(received.ToArray());
        Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
        Assert.DoesNotContain("the rest", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IPv6_loopback_works()
    {
        Assert.SkipUnless(Socket.OSSupportsIPv6, "no IPv6 on this machine");
        await using var server = await Server.StartAsync(IPAddress.IPv6Loopback);
        using var client = new HttpClient { BaseAddress = server.Address };
        var seen = await client.GetStringAsync("/who", TestContext.Current.CancellationToken);
        Assert.StartsWith("::1 ", seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_address_fails_the_start_as_Kestrel_reports_it()
    {
        await using var first = await Server.StartAsync(IPAddress.Loopback);
        var ex = await Assert.ThrowsAnyAsync<IOException>(() => Server.StartAsync(IPAddress.Loopback, first.Address.Port));
        Assert.Contains("address already in use", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Stopping_the_server_closes_idle_keep_alive_connections()
    {
        var server = await Server.StartAsync(IPAddress.Loopback);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.EndPoint, TestContext.Current.CancellationToken);
        await socket.SendAsync("GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var buffer = new byte[4096];
        var answer = "";
        while (!answer.EndsWith("0\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
            Assert.NotEqual(0, n);
            answer += Encoding.ASCII.GetString(buffer, 0, n);
        }

        await server.DisposeAsync().AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal(0, await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken));
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    private sealed class Server : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Server(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public IPEndPoint EndPoint => new(IPAddress.Parse(Address.Host.Trim('[', ']')), Address.Port);

        public TaskCompletionSource Hanging { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Aborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<Server> StartAsync(IPAddress address, int port = 0, bool inline = true)
        {
            Assert.SkipUnless(EpollEngine.IsSupported, "the epoll transport runs on Linux only");
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
            builder.Services.AddSingleton<IConnectionListenerFactory>(sp => new EpollTransportFactory(EpollEngine.Shared, sp.GetRequiredService<IMemoryPoolFactory<byte>>(), inline));
            var app = builder.Build();
            Server? server = null;
            app.MapGet("/who", (HttpContext c) => $"{c.Connection.RemoteIpAddress} {c.Connection.RemotePort} {c.Connection.LocalPort}");
            app.MapGet("/n/{n}", (string n) => $"n={n}");
            app.MapGet("/thread", () => Thread.CurrentThread.IsThreadPoolThread ? "pool" : Thread.CurrentThread.Name?.StartsWith("OneHop epoll", StringComparison.Ordinal) == true ? "loop" : Thread.CurrentThread.Name ?? "?");
            app.MapPost("/echo", (HttpContext c) =>
            {
                c.Response.ContentLength = c.Request.ContentLength;
                return c.Request.Body.CopyToAsync(c.Response.Body, c.RequestAborted);
            });
            app.MapGet("/cut", async (HttpContext c) =>
            {
                c.Response.ContentLength = 100;
                await c.Response.WriteAsync("the start", c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
                c.Abort();
            });
            app.MapGet("/hang", async (HttpContext c) =>
            {
                server!.Hanging.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, c.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    server.Aborted.TrySetResult();
                }
            });
            try
            {
                await app.StartAsync();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            server = new Server(app, new Uri(bound));
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
