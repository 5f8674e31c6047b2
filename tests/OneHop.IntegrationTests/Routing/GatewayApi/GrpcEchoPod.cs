using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Routing.GatewayApi.GrpcEcho;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A pod like the conformance suite's echo-basic gRPC server: Kestrel with HTTP/2 only (h2c, prior knowledge) on a
/// loopback address of its own, answering Echo, EchoTwo and EchoThree with its name, namespace, the method called and
/// the request headers it saw.
/// </summary>
internal sealed class GrpcEchoPod : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcEchoPod(WebApplication app, string name, string ns, string address, int port)
    {
        _app = app;
        Name = name;
        Namespace = ns;
        Address = address;
        Port = port;
    }

    public string Name { get; }

    public string Namespace { get; }

    public string Address { get; }

    public int Port { get; }

    /// <summary>Starts the pod; with <paramref name="certificate"/> it speaks HTTP/2 over TLS (h2 by ALPN) instead of h2c.</summary>
    public static async Task<GrpcEchoPod> StartAsync(string name, string ns, CancellationToken cancellationToken, X509Certificate2? certificate = null)
    {
        var address = LoopbackAddresses.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new Identity(name, ns));
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Parse(address), 0, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                o.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync(cancellationToken);
        return new GrpcEchoPod(app, name, ns, address, new Uri(app.Urls.First()).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private sealed record Identity(string Pod, string Namespace);

    private sealed class EchoService(Identity identity) : GrpcEcho.GrpcEcho.GrpcEchoBase
    {
        public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) => Answer(context);

        public override Task<EchoResponse> EchoTwo(EchoRequest request, ServerCallContext context) => Answer(context);

        public override Task<EchoResponse> EchoThree(EchoRequest request, ServerCallContext context) => Answer(context);

        private Task<EchoResponse> Answer(ServerCallContext context)
        {
            var response = new EchoResponse { Pod = identity.Pod, Namespace = identity.Namespace, Method = context.Method };
            response.Headers.Add(context.GetHttpContext().Request.Headers.SelectMany(h => h.Value.Select(v => new Header { Name = h.Key, Value = v ?? string.Empty })));
            response.Headers.Add(new Header { Name = ":authority", Value = context.GetHttpContext().Request.Host.Value ?? string.Empty });
            return Task.FromResult(response);
        }
    }
}
