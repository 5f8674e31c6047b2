using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using OneHop.IntegrationTests.Routing.GatewayApi.GrpcEcho;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A GRPCRoute conformance case's cluster behind a real OneHop: the suite's gRPC backend Services with a
/// <see cref="GrpcEchoPod"/> each, and the Gateways' ports bound by OneHop on <c>--gateway-address</c> (HTTP/1.1 and
/// HTTP/2 with prior knowledge), which the suite's gRPC client reaches over h2c.
/// </summary>
public abstract class GrpcConformanceGateway(EchoBackends backends, string manifest) : ConformanceGateway(backends, manifest)
{
    public const string V1 = "grpc-infra-backend-v1";
    public const string V2 = "grpc-infra-backend-v2";
    public const string V3 = "grpc-infra-backend-v3";

    private readonly List<GrpcEchoPod> _pods = [];

    protected override bool OnGatewayAddress => true;

    /// <summary>Calls <paramref name="method"/> through the Gateway's port 80 with the :authority and metadata given; retried while the port is not bound yet.</summary>
    internal async Task<(StatusCode Code, EchoResponse? Response)> CallAsync(string method = "Echo", string? authority = null, string[]? metadata = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var handler = new SocketsHttpHandler
        {
            // Whatever the authority, the connection goes to the Gateway's address, as the suite's client dials gwAddr.
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Parse(Address), 80, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var channel = GrpcChannel.ForAddress($"http://{authority ?? Address}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var client = new GrpcEcho.GrpcEcho.GrpcEchoClient(channel);
        var headers = new Metadata();
        foreach (var header in metadata ?? [])
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            headers.Add(header[..colon].Trim().ToLowerInvariant(), header[(colon + 1)..].Trim());
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                var call = method switch
                {
                    "Echo" => client.EchoAsync(new EchoRequest(), headers, cancellationToken: cancellationToken),
                    "EchoTwo" => client.EchoTwoAsync(new EchoRequest(), headers, cancellationToken: cancellationToken),
                    _ => client.EchoThreeAsync(new EchoRequest(), headers, cancellationToken: cancellationToken),
                };
                return (StatusCode.OK, await call);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (RpcException e)
            {
                return (e.StatusCode, null);
            }
        }
    }

    /// <summary>The call reached a pod of <paramref name="backend"/>, in the infra namespace.</summary>
    internal async Task<EchoResponse> ReachesAsync(string backend, string method = "Echo", string? authority = null, string[]? metadata = null)
    {
        var (code, response) = await CallAsync(method, authority, metadata);
        Assert.True(code == StatusCode.OK, $"{method} (authority {authority ?? "the address"}, {string.Join(", ", metadata ?? [])}): expected {backend}, got {code}");
        Assert.StartsWith(backend + "-", response!.Pod, StringComparison.Ordinal);
        Assert.Equal(EchoBackends.Infra, response.Namespace);
        return response;
    }

    /// <summary>No route takes the call: OneHop's 404, which a gRPC client reads as Unimplemented.</summary>
    internal async Task UnimplementedAsync(string method = "Echo", string? authority = null, string[]? metadata = null) =>
        Assert.Equal(StatusCode.Unimplemented, (await CallAsync(method, authority, metadata)).Code);

    protected override async Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken)
    {
        var slices = new StringBuilder();
        foreach (var service in new[] { V1, V2, V3 })
        {
            var pod = await GrpcEchoPod.StartAsync($"{service}-0", EchoBackends.Infra, cancellationToken);
            _pods.Add(pod);
            slices.Append($"""
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: {service}-echo
                  namespace: {EchoBackends.Infra}
                  labels:
                    kubernetes.io/service-name: {service}
                addressType: IPv4
                ports: [{"{"}name: "", port: {pod.Port}, appProtocol: kubernetes.io/h2c{"}"}]
                endpoints:
                  - {"{"}addresses: ["{pod.Address}"], conditions: {"{"}ready: true{"}"}, targetRef: {"{"}kind: Pod, name: {pod.Name}{"}"}{"}"}

                """);
        }

        return new Dictionary<string, string> { ["grpc-base.yaml"] = Data("grpc-base.yaml"), ["grpc-slices.yaml"] = slices.ToString() };
    }

    protected override async ValueTask DisposeMoreAsync()
    {
        foreach (var pod in _pods)
        {
            await pod.DisposeAsync();
        }
    }
}
