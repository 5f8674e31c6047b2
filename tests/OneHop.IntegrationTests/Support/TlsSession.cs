using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OneHop.IntegrationTests.Support;

/// <summary>An open TLS connection to a <see cref="TlsPod"/> (through OneHop): its greeting, the certificate the client verified, and its echo.</summary>
internal sealed class TlsSession(Socket socket, SslStream ssl, string greeting, X509Certificate2 certificate) : IAsyncDisposable
{
    public string Greeting => greeting;

    public X509Certificate2 Certificate => certificate;

    /// <summary>Sends a line and reads its echo: the connection still works both ways.</summary>
    public async Task<string> EchoAsync(string line, CancellationToken cancellationToken)
    {
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), cancellationToken);
        return await ReadLineAsync(ssl, cancellationToken);
    }

    /// <summary>One line, byte by byte: a StreamReader would read ahead and keep what follows.</summary>
    public static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await ssl.DisposeAsync();
        socket.Dispose();
    }
}
