using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OneHop.IntegrationTests.Support;

/// <summary>What the tests' Kestrel pods share: an app on one address, quiet, without a Server header or a body limit; a WebSocket echo.</summary>
internal static class KestrelApps
{
    /// <summary>
    /// An app listening on <paramref name="address"/>:<paramref name="port"/> (0: any free port), TLS with a certificate,
    /// and HTTP/2 with prior knowledge (h2c) on <paramref name="h2cPort"/> when given; not started.
    /// </summary>
    public static WebApplication Create(string address, int port, X509Certificate2? certificate = null, int? h2cPort = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Parse(address), port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
            if (h2cPort is { } h2c)
            {
                k.Listen(IPAddress.Parse(address), h2c, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
            }
        });
        return builder.Build();
    }

    /// <summary>Starts the app; returns the port it bound.</summary>
    public static async Task<int> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        return Ports(app)[0];
    }

    /// <summary>The ports a started app bound, in the order of its listeners.</summary>
    public static int[] Ports(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port)];

    /// <summary>Accepts a WebSocket and sends every message back until the client closes it.</summary>
    public static async Task EchoWebSocketAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
        }
    }
}
