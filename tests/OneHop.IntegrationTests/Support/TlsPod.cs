using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A TLS server pod on its own loopback address (.NET's SslStream, its own certificate): after the handshake it says
/// its name and the SNI it was asked for, one line, then echoes. What a passthrough client must see end to end.
/// </summary>
internal sealed class TlsPod : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _connections;

    private TlsPod(Socket listener, X509Certificate2 certificate, string name)
    {
        _listener = listener;
        _certificate = certificate;
        Name = name;
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        Address = endpoint.Address.ToString();
        Port = endpoint.Port;
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public string Address { get; }

    public int Port { get; }

    /// <summary>Connections accepted so far: what reached the pod.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static TlsPod Start(string name, (string Certificate, string Key) pem)
    {
        // Exported and re-imported: SslStream on Linux wants a certificate whose key it can use as a server's.
        using var ephemeral = X509Certificate2.CreateFromPem(pem.Certificate, pem.Key);
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), 0));
        listener.Listen(64);
        return new TlsPod(listener, certificate, name);
    }

    public Yaml.Endpoint Ready() => new(Address, Name);

    /// <summary>Connects through <paramref name="endpoint"/> asking for <paramref name="host"/>, verifying the certificate against <paramref name="ca"/>; returns the pod's greeting.</summary>
    public static async Task<(string Greeting, X509Certificate2 Certificate)> AskAsync(IPEndPoint endpoint, string host, X509Certificate2 ca, CancellationToken cancellationToken, byte[]? preamble = null)
    {
        await using var session = await OpenAsync(endpoint, host, ca, cancellationToken, preamble: preamble);
        return (session.Greeting, session.Certificate);
    }

    /// <summary>
    /// As <see cref="AskAsync"/>, and the connection stays open; with <paramref name="trickle"/> the client's bytes
    /// (its ClientHello first) leave that many at a time; <paramref name="preamble"/> (a PROXY header) goes before the ClientHello.
    /// </summary>
    public static async Task<TlsSession> OpenAsync(IPEndPoint endpoint, string host, X509Certificate2 ca, CancellationToken cancellationToken, int? trickle = null, byte[]? preamble = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? ssl = null;
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            if (preamble is not null)
            {
                await socket.SendAsync(preamble, SocketFlags.None, cancellationToken);
            }

            Stream transport = new NetworkStream(socket, ownsSocket: false);
            ssl = new SslStream(trickle is { } chunk ? new TrickleStream(transport, chunk) : transport);
            X509Certificate2? seen = null;
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    {
                        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                        {
                            return false;
                        }

                        seen = new X509Certificate2(certificate);
                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(ca);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return chain.Build(seen);
                    },
                },
                cancellationToken);
            return new TlsSession(socket, ssl, await TlsSession.ReadLineAsync(ssl, cancellationToken), seen!);
        }
        catch
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }

            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _certificate.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        var serving = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stopping.Token);
                Interlocked.Increment(ref _connections);
                serving.Add(ServeAsync(socket));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(serving);
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stopping.Token);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"{Name} {ssl.TargetHostName}\n"), _stopping.Token);
            await ssl.CopyToAsync(ssl, _stopping.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
        }
    }
}
