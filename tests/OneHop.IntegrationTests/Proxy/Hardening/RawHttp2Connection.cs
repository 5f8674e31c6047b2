using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OneHop.IntegrationTests.Proxy.Hardening;

/// <summary>
/// An HTTP/2 client written frame by frame over h2c (prior knowledge), for what real clients never send: floods of
/// resets, SETTINGS, PINGs, endless CONTINUATION. A background reader drains what the server sends and notes a GOAWAY
/// or the connection's end, so the flood is never held back by an unread socket and the test can ask how it ended.
/// </summary>
internal sealed class RawHttp2Connection : IAsyncDisposable
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, Continuation = 0x9;
    public const byte EndStream = 0x1, EndHeaders = 0x4;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Task _reading;
    private readonly TaskCompletionSource<bool> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _goAwayErrorCode = -1;

    private RawHttp2Connection(Socket socket, bool drain)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reading = drain ? ReadAsync() : Task.CompletedTask;
    }

    /// <summary>The error code of the server's GOAWAY, or -1 when none came.</summary>
    public int GoAwayErrorCode => Volatile.Read(ref _goAwayErrorCode);

    /// <summary>Completes when the server closed or reset the connection.</summary>
    public Task Ended => _ended.Task;

    /// <param name="drain">Read what the server sends (else nothing is read: a client that only writes).</param>
    public static async Task<RawHttp2Connection> OpenAsync(int port, CancellationToken cancellationToken, bool drain = true)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        var connection = new RawHttp2Connection(socket, drain);
        var preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").Concat(Frame(Settings, 0, 0, [])).ToArray();
        await connection.SendAsync(preface, cancellationToken);
        return connection;
    }

    /// <summary>An HPACK block for <c>GET /</c> to <paramref name="authority"/>: static-table entries and one literal.</summary>
    public static byte[] GetHeaders(string authority) =>
        [0x82, 0x86, 0x84, 0x01, (byte)authority.Length, .. Encoding.ASCII.GetBytes(authority)];

    public static byte[] Frame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>Sends bytes; false once the server has closed the connection.</summary>
    public async Task<bool> SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _reading;
    }

    private async Task ReadAsync()
    {
        var header = new byte[9];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(header);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload);
                if (header[3] == 0x7 && length >= 8)
                {
                    Volatile.Write(ref _goAwayErrorCode, BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4)));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or ObjectDisposedException or SocketException)
        {
            _ended.TrySetResult(true);
        }
    }
}
