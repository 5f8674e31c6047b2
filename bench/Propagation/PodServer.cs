using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Propagation;

/// <summary>
/// The real pods: one Kestrel server listening on every pod address, answering each request with an <c>X-Pod</c>
/// header naming the address it came in on. One server instead of one per pod keeps the driver's CPU small.
/// </summary>
internal sealed class PodServer : IAsyncDisposable
{
    public const string PodHeader = "X-Pod";

    private static readonly byte[] Body = "ok\n"u8.ToArray();

    private readonly WebApplication _app;

    private PodServer(WebApplication app) => _app = app;

    public static async Task<PodServer> StartAsync(IEnumerable<string> addresses, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var address in addresses)
            {
                kestrel.Listen(IPAddress.Parse(address), port, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        ((IApplicationBuilder)app).Run(context =>
        {
            context.Response.Headers[PodHeader] = context.Connection.LocalIpAddress?.ToString();
            context.Response.ContentLength = Body.Length;
            return context.Response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
        });
        await app.StartAsync(cancellationToken);
        return new PodServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
