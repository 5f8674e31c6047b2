using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OneHop.IntegrationTests.Support;

/// <summary>A TCP connection driven byte by byte, for what HTTP clients will not send: PROXY headers, slow or oversized requests.</summary>
internal sealed class RawConnection : IDisposable
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private RawConnection()
    {
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, from <paramref name="source"/> when given (any 127.0.0.0/8 address).</summary>
    public static async Task<RawConnection> OpenAsync(int port, string? source, CancellationToken cancellationToken)
    {
        var connection = new RawConnection();
        if (source is not null)
        {
            connection._socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
        }

        await connection._socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        return connection;
    }

    public async Task SendAsync(string text, CancellationToken cancellationToken) => await SendAsync(Encoding.ASCII.GetBytes(text), cancellationToken);

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken) => await _socket.SendAsync(bytes, cancellationToken);

    /// <summary>
    /// Everything the server sends until it closes the connection, each byte one Latin-1 character (empty when it closed
    /// without a word); a reset counts as a close.
    /// </summary>
    public async Task<string> ReadToCloseAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        var text = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await _socket.ReceiveAsync(buffer, deadline.Token)) > 0)
            {
                text.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        return text.ToString();
    }

    public void Dispose() => _socket.Dispose();
}
