using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace OneHop.IntegrationTests.Support;

/// <summary>A TLS client that offers only what it is told and says what was agreed on: the tests of the versions and suites OneHop's listeners offer.</summary>
internal static class TlsHandshake
{
    /// <summary>The version and suite agreed on with <paramref name="host"/> as SNI, or null when the handshake failed.</summary>
    /// <param name="suites">The only suites offered; null for the system's.</param>
    public static async Task<(SslProtocols Protocol, TlsCipherSuite Suite)?> TryAsync(int port, string host, SslProtocols offered, TlsCipherSuite[]? suites, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
#pragma warning disable CA5359 // The tests check the version and suite agreed on, not OneHop's certificate.
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
        var options = new SslClientAuthenticationOptions { TargetHost = host, EnabledSslProtocols = offered };
        if (suites is not null && OperatingSystem.IsLinux())
        {
            options.CipherSuitesPolicy = new CipherSuitesPolicy(suites);
        }

        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken);
            return (tls.SslProtocol, tls.NegotiatedCipherSuite);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return null;
        }
    }
}
