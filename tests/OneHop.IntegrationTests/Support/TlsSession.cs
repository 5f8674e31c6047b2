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

    /// <summary>Ends the client's TLS (close_notify) and its sending (FIN); its reading goes on.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await ssl.ShutdownAsync();
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>True when the other end ends the stream cleanly (a read returns 0) within <paramref name="within"/>; false on a timeout or a reset.</summary>
    public async Task<bool> EndedWithinAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        var buffer = new byte[256];
        try
        {
            while (await ssl.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
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
