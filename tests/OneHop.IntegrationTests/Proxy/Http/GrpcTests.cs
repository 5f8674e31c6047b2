using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Proxy.Http.Grpc;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>gRPC through OneHop to an h2c pod (Service port appProtocol kubernetes.io/h2c), streaming included.</summary>
public sealed class GrpcTests
{
    [Theory]
    [InlineData("h2c")]
    [InlineData("https")]
    [InlineData("h2c-compressing")]
    public async Task A_server_streaming_call_reaches_an_h2c_pod_and_streams_back(string clientSide)
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificates();
        await using var pod = await GrpcPod.StartAsync("countdown-0", ct);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["countdown.yaml"] = pod.Manifest() + Yaml.Ingress("countdown", "/", "countdown"),
            ["tls.yaml"] = TestCertificates.Secret("grpc-tls", ca.Issue("grpc.example.org")) + Yaml.TlsIngress("countdown-tls", "grpc.example.org", "grpc-tls", "countdown"),
        };
        // h2c-compressing: every route compresses and the client accepts it (gRPC's own type is not compressed, and its
        // stream must still flow message by message).
        var compressing = clientSide == "h2c-compressing";
        clientSide = compressing ? "h2c" : clientSide;
        var config = clientSide == "h2c" ? "listeners: [{name: grpc, address: \"127.0.0.1:0\", protocol: h2c}]" + (compressing ? "\ncompression: {types: [\"*\"]}" : string.Empty) : null;
        await using var onehop = await OneHopInstance.StartAsync(manifests, ct, config, https: clientSide == "https");
        using var tls = ca.Client(clientSide == "https" ? onehop.Port("https") : 0);
        using var channel = clientSide == "h2c"
            ? GrpcChannel.ForAddress($"http://127.0.0.1:{onehop.Port("http")}", new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { AutomaticDecompression = compressing ? System.Net.DecompressionMethods.All : System.Net.DecompressionMethods.None } })
            : GrpcChannel.ForAddress($"https://grpc.example.org:{onehop.Port("https")}", new GrpcChannelOptions { HttpClient = tls.Http });
        var client = new Countdown.CountdownClient(channel);

        using var call = client.Count(new CountRequest { From = 5 }, cancellationToken: ct);
        var ticks = new List<(int Value, DateTime At)>();
        await foreach (var tick in call.ResponseStream.ReadAllAsync(ct))
        {
            Assert.Equal("countdown-0", tick.Pod);
            ticks.Add((tick.Value, DateTime.UtcNow));
        }

        Assert.Equal([5, 4, 3, 2, 1], ticks.Select(t => t.Value));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        // Streamed, not buffered: the first message arrived well before the last was sent (50 ms apart).
        Assert.True(ticks[^1].At - ticks[0].At > TimeSpan.FromMilliseconds(120), "the ticks arrived all at once");
    }

    /// <summary>A gRPC pod: Kestrel with HTTP/2 only (h2c, prior knowledge) on its own loopback address.</summary>
    private sealed class GrpcPod : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private GrpcPod(WebApplication app, string name, string address, int port)
        {
            _app = app;
            Name = name;
            Address = address;
            Port = port;
        }

        public string Name { get; }

        public string Address { get; }

        public int Port { get; }

        public static async Task<GrpcPod> StartAsync(string name, CancellationToken ct)
        {
            var address = LoopbackAddresses.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(new PodName(name));
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Parse(address), 0, o => o.Protocols = HttpProtocols.Http2));
            var app = builder.Build();
            app.MapGrpcService<CountdownService>();
            await app.StartAsync(ct);
            return new GrpcPod(app, name, address, new Uri(app.Urls.First()).Port);
        }

        public string Manifest() => $"""
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: countdown
            spec:
              ports: [{"{"}name: grpc, port: 80, targetPort: grpc, appProtocol: kubernetes.io/h2c{"}"}]
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: countdown-slice
              labels:
                kubernetes.io/service-name: countdown
            addressType: IPv4
            ports: [{"{"}name: grpc, port: {Port}, appProtocol: kubernetes.io/h2c{"}"}]
            endpoints:
              - addresses: ["{Address}"]
                targetRef: {"{"}kind: Pod, name: {Name}{"}"}

            """;

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private sealed record PodName(string Value);

    private sealed class CountdownService(PodName pod) : Countdown.CountdownBase
    {
        public override async Task Count(CountRequest request, IServerStreamWriter<Tick> responseStream, ServerCallContext context)
        {
            for (var value = request.From; value > 0; value--)
            {
                await responseStream.WriteAsync(new Tick { Value = value, Pod = pod.Value }, context.CancellationToken);
                await Task.Delay(50, context.CancellationToken);
            }
        }
    }
}
