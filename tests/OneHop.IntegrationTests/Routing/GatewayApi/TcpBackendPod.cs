using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// The suite's <c>tcp-backend</c> pod (echo-basic as a TCP echo server) on a loopback address of its own: one port in plain
/// text (the Service's 3000) and one over TLS with its own certificate (8443). Each connection is greeted with a line,
/// then answers line by line as the suite's TCP client asks: <c>PING</c> → <c>PONG</c>, <c>IS_TLS</c> → <c>true</c> or
/// <c>false</c>, <c>TEST</c> → a JSON line with the pod, its namespace and the SNI its TLS was asked for; anything else
/// is echoed. The client's end closes the connection.
/// </summary>
internal sealed class TcpBackendPod : IAsyncDisposable
{
    public const string Welcome = "Welcome to the tcp-backend";

    private readonly Socket _plain;
    private readonly Socket _tls;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _connections;

    private TcpBackendPod(string name, string ns, X509Certificate2 certificate)
    {
        Name = name;
        Namespace = ns;
        _certificate = certificate;
        Address = LoopbackAddresses.Next();
        _plain = Listen(Address);
        _tls = Listen(Address);
        _accepting = Task.WhenAll(AcceptAsync(_plain, tls: false), AcceptAsync(_tls, tls: true));
    }

    public string Name { get; }

    public string Namespace { get; }

    public string Address { get; }

    public int PlainPort => ((IPEndPoint)_plain.LocalEndPoint!).Port;

    public int TlsPort => ((IPEndPoint)_tls.LocalEndPoint!).Port;

    /// <summary>Connections accepted on either port: what reached the pod.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Starts a pod serving TLS with <paramref name="pem"/> on its TLS port.</summary>
    public static TcpBackendPod Start(string name, string ns, (string Certificate, string Key) pem)
    {
        // Exported and re-imported: SslStream on Linux wants a certificate whose key it can use as a server's.
        using var ephemeral = X509Certificate2.CreateFromPem(pem.Certificate, pem.Key);
        return new TcpBackendPod(name, ns, X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null));
    }

    /// <summary>
    /// The Service <paramref name="service"/> with the suite's two ports (the TLS one at <paramref name="tlsPort"/>: the
    /// suite's tls-backend has it at 443) and an EndpointSlice listing this pod at them.
    /// </summary>
    public string ServiceYaml(string service, int tlsPort = 8443) => $$"""
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: {{service}}, namespace: {{Namespace}}}
        spec:
          ports:
          - {name: echo-tcp-plain, protocol: TCP, port: 3000, targetPort: 3000}
          - {name: echo-tcp-tls, protocol: TCP, port: {{tlsPort}}, targetPort: 8443}
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: {{service}}-1, namespace: {{Namespace}}, labels: {kubernetes.io/service-name: {{service}} } }
        addressType: IPv4
        ports: [{name: echo-tcp-plain, port: {{PlainPort}}}, {name: echo-tcp-tls, port: {{TlsPort}}}]
        endpoints: [{addresses: ["{{Address}}"], conditions: {ready: true}, targetRef: {kind: Pod, name: {{Name}} } }]

        """;

    /// <summary>
    /// The suite's TCP exchange through <paramref name="endpoint"/>: TLS asking for <paramref name="serverName"/> and
    /// verifying the certificate against <paramref name="ca"/>, then the welcome, <c>PING</c>, <c>IS_TLS</c> and <c>TEST</c>.
    /// </summary>
    public static async Task<Answer> AskAsync(IPEndPoint endpoint, string serverName, X509Certificate2 ca, CancellationToken cancellationToken)
    {
        await using var session = await TlsPod.OpenAsync(endpoint, serverName, ca, cancellationToken);
        Assert.Equal(Welcome, session.Greeting);
        Assert.Equal("PONG", await session.EchoAsync("PING", cancellationToken));
        var isTls = bool.Parse(await session.EchoAsync("IS_TLS", cancellationToken));
        var test = JsonSerializer.Deserialize<JsonElement>(await session.EchoAsync("TEST", cancellationToken));
        return new Answer(isTls, test.GetProperty("pod").GetString()!, test.GetProperty("namespace").GetString()!, test.GetProperty("serverName").GetString()!, session.Certificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _plain.Dispose();
        _tls.Dispose();
        await _accepting;
        _certificate.Dispose();
        _stopping.Dispose();
    }

    private static Socket Listen(string address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        socket.Listen(64);
        return socket;
    }

    private async Task AcceptAsync(Socket listener, bool tls)
    {
        var serving = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await listener.AcceptAsync(_stopping.Token);
                Interlocked.Increment(ref _connections);
                serving.Add(ServeAsync(socket, tls));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(serving);
    }

    private async Task ServeAsync(Socket socket, bool tls)
    {
        try
        {
            await using Stream stream = tls ? new SslStream(new NetworkStream(socket, ownsSocket: true)) : new NetworkStream(socket, ownsSocket: true);
            var serverName = string.Empty;
            if (stream is SslStream ssl)
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stopping.Token);
                serverName = ssl.TargetHostName;
            }

            await WriteLineAsync(stream, Welcome);
            while (true)
            {
                var line = await ReadLineAsync(stream);
                if (line is null)
                {
                    return;
                }

                await WriteLineAsync(stream, line switch
                {
                    "PING" => "PONG",
                    "IS_TLS" => tls ? "true" : "false",
                    "TEST" => JsonSerializer.Serialize(new { pod = Name, @namespace = Namespace, serverName }),
                    _ => line,
                });
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    private Task WriteLineAsync(Stream stream, string line) => stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), _stopping.Token).AsTask();

    /// <summary>One line without its newline; null when the client ended the connection.</summary>
    private async Task<string?> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, _stopping.Token) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }
    }

    /// <summary>What the suite's TCP client checks: whether the pod spoke TLS, which pod, its namespace, the SNI it saw; and the certificate the client verified.</summary>
    internal sealed record Answer(bool IsTls, string Pod, string Namespace, string ServerName, X509Certificate2 Certificate);
}
