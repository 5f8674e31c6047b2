using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A conformance case about client certificate validation (<c>spec.tls.frontend</c>), with what the suite creates for it
/// (suite.go): the listeners' certificate Secret <c>tls-validity-checks-certificate</c>, two CAs as ConfigMaps
/// (<c>tls-validity-checks-ca-certificate</c>, <c>tls-validity-checks-per-port-ca-certificate</c>) and a client
/// certificate from each. The Gateways' ports are bound on <c>--gateway-address</c>, HTTPS ones with TLS, as in a
/// cluster; requests are real TLS clients that trust only the server's CA and present a client certificate or none.
/// </summary>
public abstract class ClientCertificateGateway : ConformanceGateway
{
    private readonly TestCertificates _server = new("Conformance Server CA");
    private readonly TestCertificates _defaultCa = new("Conformance Client CA");
    private readonly TestCertificates _perPortCa = new("Conformance Per-Port Client CA");

    /// <summary>The client certificate of <c>tls-validity-checks-client-certificate</c> (the default CA's).</summary>
    internal X509Certificate2 DefaultClient { get; }

    /// <summary>The client certificate of <c>tls-validity-checks-per-port-client-certificate</c> (the per-port CA's).</summary>
    internal X509Certificate2 PerPortClient { get; }

    protected ClientCertificateGateway(EchoBackends backends, string manifest)
        : base(backends, manifest)
    {
        DefaultClient = _defaultCa.IssueClient("conformance-client");
        PerPortClient = _perPortCa.IssueClient("conformance-per-port-client");
    }

    protected override bool OnGatewayAddress => true;

    protected override Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>
        {
            ["tls-validity-checks.yaml"] =
                TestCertificates.Secret("tls-validity-checks-certificate", _server.Issue("example.org", "second-example.org", "first-example.org", "fourth-example.org"), ns: EchoBackends.Infra)
                + CaConfigMap("tls-validity-checks-ca-certificate", _defaultCa.CaPem)
                + CaConfigMap("tls-validity-checks-per-port-ca-certificate", _perPortCa.CaPem),
        });

    /// <summary>
    /// A GET of <paramref name="host"/>'s <c>/</c> over TLS (SNI <paramref name="host"/>) to <paramref name="port"/> on a
    /// connection of its own, presenting <paramref name="certificate"/> when the server asks for one. Returns OneHop's
    /// answer or the error that ended the request, and whether the certificate was presented.
    /// </summary>
    internal async Task<(GatewayResponse? Response, Exception? Error, bool Presented)> HttpsAsync(int port, string host, X509Certificate2? certificate)
    {
        var presented = false;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(Address), port), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = ServerTrust(),
                LocalCertificateSelectionCallback = (_, _, _, _, _) =>
                {
                    presented = certificate is not null;
                    return certificate!; // null: none to present
                },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            // Host without the port, as the suite's requests send it.
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://{host}:{port}/"));
            request.Headers.Host = host;
            using var response = await client.SendAsync(request, TestTimeouts.Token());
            var echo = response.Content.Headers.ContentType?.MediaType == "application/json"
                ? await response.Content.ReadFromJsonAsync<EchoedRequest>(EchoedRequest.Json, TestTimeouts.Token())
                : null;
            return (new GatewayResponse((int)response.StatusCode, echo, new Dictionary<string, string>(), null), null, presented);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex, presented);
        }
    }

    /// <summary>The request is answered 200 by a pod of <paramref name="backend"/>, once OneHop serves the port (within 10 s).</summary>
    internal async Task ExpectServedAsync(int port, string host, X509Certificate2? certificate, string backend)
    {
        (GatewayResponse? Response, Exception? Error, bool Presented) last = default;
        await OneHopInstance.EventuallyAsync(
            async () => (last = await HttpsAsync(port, host, certificate)).Response is { Status: 200 },
            TimeSpan.FromSeconds(10),
            $"https://{host}:{port}/ to be served",
            TestTimeouts.Token());
        ConformanceAssert.Reached(last.Response!, new ConformanceRequest("/", host), backend);
    }

    /// <summary>The request fails at the TLS layer: no HTTP answer at all, and the certificate (if any) was presented.</summary>
    internal async Task ExpectRefusedAsync(int port, string host, X509Certificate2? certificate)
    {
        var (response, error, presented) = await HttpsAsync(port, host, certificate);
        Assert.True(response is null, $"https://{host}:{port}/ was answered {response}, expected the connection refused");
        Assert.IsType<HttpRequestException>(error);
        Assert.True(certificate is null || presented, "the client certificate was not asked for in the handshake");
    }

    protected override ValueTask DisposeMoreAsync()
    {
        DefaultClient.Dispose();
        PerPortClient.Dispose();
        _server.Dispose();
        _defaultCa.Dispose();
        _perPortCa.Dispose();
        return ValueTask.CompletedTask;
    }

    private X509ChainPolicy ServerTrust()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(_server.Ca);
        return policy;
    }

    /// <summary>A ConfigMap of the infra namespace with <paramref name="pem"/> under <c>ca.crt</c>, as the suite makes its CA maps.</summary>
    internal static string CaConfigMap(string name, string pem) => $"""
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {EchoBackends.Infra}
        data:
          ca.crt: |
        {string.Join('\n', pem.TrimEnd().Split('\n').Select(l => "    " + l))}

        """;
}
